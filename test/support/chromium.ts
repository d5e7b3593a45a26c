import { existsSync } from 'node:fs';

/** Debian's Chromium by default; CHROMIUM_PATH points elsewhere (e.g. on macOS). */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p!)) ?? null;
}
