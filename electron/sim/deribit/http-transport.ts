import type { IncomingMessage } from 'node:http';
import { hmacSha256Hex, httpStringToSign, parseHttpAuthorization } from '../../venues/deribit/auth-signature.ts';

/*
 * Deribit's HTTP transport (venues-trading D1, D2), as a third-party client such as ccxt uses it:
 * `GET /api/v2/{public|private}/{method}?query` with the params as strings, or a POST with a
 * JSON-RPC body. Private calls carry `deri-hmac-sha256` (verified over the raw request target),
 * a Bearer token from `public/auth`, or Basic credentials.
 */

export interface HttpCaller {
  authed: boolean;
  trade: 'read' | 'read_write';
}

export type HttpRequest = { ok: true; method: string; params: Record<string, unknown>; id: unknown } | { ok: false; status: number; error: { code: number; message: string } };

const SIGNATURE_WINDOW_MS = 60_000;

/** Params that are names and ids: kept as strings even when they look like numbers (order 7000001). */
const STRING_PARAMS = new Set(['order_id', 'label', 'instrument_name', 'currency', 'index_name', 'kind', 'type', 'time_in_force', 'direction', 'trigger', 'advanced', 'client_id', 'client_secret', 'refresh_token', 'nonce', 'signature', 'data', 'scope', 'state', 'grant_type']);

/** Query values arrive as strings: numbers and booleans are coerced, as the venue does. */
function coerce(key: string, v: string): unknown {
  if (STRING_PARAMS.has(key)) return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return Number(v);
  return v;
}

export function readHttpRequest(req: IncomingMessage, body: string): HttpRequest {
  const target = req.url ?? '/';
  const url = new URL(target, 'http://x');
  const m = /^\/api\/v2\/((?:public|private)\/[a-z_]+)$/.exec(url.pathname);
  if (!m) return { ok: false, status: 404, error: { code: -32601, message: 'Method not found' } };
  let method = m[1]!;
  let params: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) params[k] = coerce(k, v);
  let id: unknown = null;
  if (body.trim()) {
    try {
      const rpc = JSON.parse(body) as { method?: unknown; params?: unknown; id?: unknown };
      // A JSON-RPC body names the method itself, and it takes precedence over the path.
      if (typeof rpc.method === 'string') method = rpc.method;
      if (rpc.params && typeof rpc.params === 'object') params = { ...params, ...(rpc.params as Record<string, unknown>) };
      id = rpc.id ?? null;
    } catch {
      return { ok: false, status: 400, error: { code: 11050, message: 'bad_request' } };
    }
  }
  return { ok: true, method, params, id };
}

/** Who is calling: from the Authorization header, checked against the account's key and the tokens issued. */
export function httpCaller(req: IncomingMessage, body: string, creds: { clientId: string; clientSecret: string }, tokenScope: (token: string) => string | undefined, now: () => number): HttpCaller | { error: { code: number; message: string } } {
  const header = req.headers.authorization;
  if (!header) return { authed: false, trade: 'read_write' };
  const unauthorized = { error: { code: 13009, message: 'unauthorized' } };
  const bearer = /^bearer\s+(.+)$/i.exec(header);
  if (bearer) {
    const scope = tokenScope(bearer[1]!.trim());
    return scope === undefined ? unauthorized : { authed: true, trade: /(^|\s)trade:read(\s|$)/.test(scope) ? 'read' : 'read_write' };
  }
  const basic = /^basic\s+(.+)$/i.exec(header);
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    return id === creds.clientId && secret === creds.clientSecret ? { authed: true, trade: 'read_write' } : unauthorized;
  }
  const sig = parseHttpAuthorization(header);
  if (!sig || sig.id !== creds.clientId || Math.abs(sig.ts - now()) > SIGNATURE_WINDOW_MS) return unauthorized;
  // Over the request target exactly as received: the query is not re-encoded.
  const expected = hmacSha256Hex(creds.clientSecret, httpStringToSign(sig.ts, sig.nonce, req.method ?? 'GET', req.url ?? '/', body));
  return expected === sig.sig ? { authed: true, trade: 'read_write' } : unauthorized;
}

/** Methods that exist only on the WebSocket (subscriptions, heartbeats, logout). */
export const WS_ONLY = new Set(['public/set_heartbeat', 'public/disable_heartbeat', 'public/subscribe', 'public/unsubscribe', 'public/unsubscribe_all', 'public/hello', 'private/subscribe', 'private/unsubscribe', 'private/unsubscribe_all', 'private/logout', 'private/enable_cancel_on_disconnect', 'private/disable_cancel_on_disconnect']);
