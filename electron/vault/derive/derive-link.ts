import { z } from 'zod';
import { loginMessage } from '../../venues/derive/signing.ts';

/*
 * Main's own line to Derive: JSON-RPC over HTTP, `POST <base>/<method>` with the params as the
 * body (venues.md §3.1). Private calls carry the login headers: the owner wallet, the ms time and
 * an EIP-191 signature of it by the owner or a session key (§3.5). One request per action, so an
 * answer lost on the way is the one case whose outcome is unknown.
 */

export class DeriveVenueError extends Error {
  readonly code: number;
  readonly venueMessage: string;
  constructor(method: string, code: number, message: string, data: unknown) {
    super(`Derive ${method}: ${code} ${message}${typeof data === 'string' ? ` (${data})` : ''}`);
    this.code = code;
    this.venueMessage = typeof data === 'string' ? `${message} (${data})` : message;
  }
}

/** The request never left (no connection): safe to say "not sent". */
export class DeriveNotSent extends Error {
  override name = 'DeriveNotSent';
}

export interface DeriveAuth {
  wallet: string;
  /** EIP-191 signature of the ms timestamp as a decimal string. */
  sign(message: string): Promise<string>;
}

const answer = z.object({ result: z.unknown().optional(), error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }).optional() });

export async function deriveHttp(base: string, method: string, params: Record<string, unknown>, auth: DeriveAuth | null, now: () => number, timeoutMs = 10_000): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) {
    const ts = Math.floor(now());
    headers['x-derivewallet'] = auth.wallet;
    headers['x-derivetimestamp'] = String(ts);
    headers['x-derivesignature'] = await auth.sign(loginMessage(ts));
  }
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/+$/, '')}/${method}`, { method: 'POST', headers, body: JSON.stringify(params), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    // Refused or unresolvable: nothing reached the venue. A timeout may have.
    if (cause === 'ECONNREFUSED' || cause === 'ENOTFOUND') throw new DeriveNotSent(`Derive ${method}: ${cause}`, { cause: err });
    throw new Error(`Derive ${method}: no answer (${(err as Error).message})`, { cause: err });
  }
  let body: z.infer<typeof answer>;
  try {
    body = answer.parse(await res.json());
  } catch {
    throw new Error(`Derive ${method}: HTTP ${res.status} with a body that is not JSON-RPC`);
  }
  if (body.error) throw new DeriveVenueError(method, body.error.code, body.error.message, body.error.data);
  if (!res.ok) throw new Error(`Derive ${method}: HTTP ${res.status}`);
  return body.result;
}
