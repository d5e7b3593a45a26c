import { createHmac } from 'node:crypto';

/*
 * Deribit's HMAC signatures (venues-trading D2). Where the secret lives (the vault in main, or a
 * test) the caller passes an `hmac` over the string to sign; the strings themselves are built
 * here so main, the engine's tests and the simulator cannot disagree about a newline.
 */

/** `public/auth` with `grant_type=client_signature`: Timestamp \n Nonce \n Data. */
export const clientSignatureString = (timestampMs: number, nonce: string, data: string): string => `${timestampMs}\n${nonce}\n${data}`;

/** HTTP `deri-hmac-sha256`: Timestamp \n Nonce \n METHOD \n URI \n Body \n, over the URI exactly as sent. */
export const httpStringToSign = (timestampMs: number, nonce: string, method: string, uri: string, body: string): string => `${timestampMs}\n${nonce}\n${method.toUpperCase()}\n${uri}\n${body}\n`;

export const hmacSha256Hex = (secret: string | Buffer, message: string): string => createHmac('sha256', secret).update(message, 'utf8').digest('hex');

/** The `public/auth` params Deribit expects for a signature login; `scope` narrows what the session may do. */
export function clientSignatureParams(clientId: string, timestampMs: number, nonce: string, hmac: (message: string) => string, scope?: string): Record<string, unknown> {
  return { grant_type: 'client_signature', client_id: clientId, timestamp: timestampMs, nonce, data: '', signature: hmac(clientSignatureString(timestampMs, nonce, '')), ...(scope ? { scope } : {}) };
}

export function httpAuthorization(clientId: string, timestampMs: number, nonce: string, signature: string): string {
  return `deri-hmac-sha256 id=${clientId},ts=${timestampMs},sig=${signature},nonce=${nonce}`;
}

/** Parses the header as an order-free `k=v,` list (ccxt and the docs order the fields differently). */
export function parseHttpAuthorization(header: string): { id: string; ts: number; sig: string; nonce: string } | null {
  const m = /^deri-hmac-sha256\s+(.+)$/i.exec(header.trim());
  if (!m) return null;
  const fields = new Map<string, string>();
  for (const part of m[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const id = fields.get('id');
  const ts = Number(fields.get('ts'));
  const sig = fields.get('sig');
  const nonce = fields.get('nonce') ?? '';
  if (!id || !sig || !Number.isSafeInteger(ts)) return null;
  return { id, ts, sig, nonce };
}

/** A fresh nonce: 8 base-36 characters, as in Deribit's examples. */
export const newNonce = (random: () => number = Math.random): string => Array.from({ length: 8 }, () => Math.floor(random() * 36).toString(36)).join('');
