/**
 * One strict policy for both hosts. Styles are bundled files (no inline style elements), charts
 * draw on canvas, and the page talks only to its own origin (the browser bridge's WebSocket).
 * `style-src 'unsafe-inline'` is absent on purpose; React's style attributes are allowed by
 * `style-src-attr` only, which cannot load anything.
 */
export function contentSecurityPolicy(extraConnect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${extraConnect.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
