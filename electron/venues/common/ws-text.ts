import type { RawData } from 'ws';

/** The `ws` package hands text frames over as a Buffer, an ArrayBuffer or a list of fragments. */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}
