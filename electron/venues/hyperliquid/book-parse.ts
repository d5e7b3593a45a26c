import { LEVEL_STRIDE, packedLength } from '../../../shared/stream/packed-book.ts';
import { describeIssues } from '../../../shared/contract/validate.ts';
import type { ScannedBook } from './book-scan.ts';
import { wireL2Book, type WireL2Book } from './wire-schemas.ts';

/**
 * An l2Book's data by the general path, any valid JSON form: the schema, then packing. Returns the
 * reason when it is not a book (the fast path, book-scan.ts, declines to such frames).
 */
export function readL2Book(data: unknown): ScannedBook | string {
  const parsed = wireL2Book.safeParse(data);
  if (!parsed.success) return `l2Book: ${describeIssues(parsed.error)}`;
  const levels = packL2Book(parsed.data);
  return typeof levels === 'string' ? `l2Book ${parsed.data.coin}: ${levels}` : { coin: parsed.data.coin, time: parsed.data.time, levels };
}

/**
 * Packs a validated l2Book into the engine's typed-array layout and checks the ordering the venue
 * promises (bids strictly descending, asks strictly ascending). Returns an error string instead of
 * a book when the order is broken: such a frame is dropped whole, never half-applied.
 */
export function packL2Book(book: WireL2Book): Float64Array | string {
  const [bids, asks] = book.levels;
  const out = new Float64Array(packedLength(bids.length, asks.length));
  out[0] = bids.length;
  out[1] = asks.length;
  let o = 2;
  let prev = Infinity;
  for (const l of bids) {
    const px = Number(l.px);
    if (!(px < prev)) return `bids not strictly descending at ${l.px}`;
    prev = px;
    out[o] = px;
    out[o + 1] = Number(l.sz);
    out[o + 2] = l.n;
    o += LEVEL_STRIDE;
  }
  prev = -Infinity;
  for (const l of asks) {
    const px = Number(l.px);
    if (!(px > prev)) return `asks not strictly ascending at ${l.px}`;
    prev = px;
    out[o] = px;
    out[o + 1] = Number(l.sz);
    out[o + 2] = l.n;
    o += LEVEL_STRIDE;
  }
  return out;
}
