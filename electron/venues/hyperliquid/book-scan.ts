import { LEVEL_STRIDE, packedLength } from '../../../shared/stream/packed-book.ts';

/**
 * The fast path for the busiest frame there is: an l2Book snapshot read straight from the socket's
 * text into the engine's packed layout, without building the object tree JSON.parse makes (most of
 * the cost of a frame: bench/parse-apply.ts).
 *
 * It accepts only the venue's compact form, keys in the venue's order:
 *   {"channel":"l2Book","data":{"coin":"BTC","time":1754450974231,"levels":[[{"px":"113377.0","sz":"7.6699","n":17},…],[…]]}}
 * and every check the general path makes (wire-schemas.ts `wireL2Book`, then book-parse.ts): a
 * non-empty coin, an integer time ≥ 0, at most 200 levels a side, prices and sizes as positive
 * decimal strings, order counts as integers ≥ 0, bids strictly descending and asks strictly
 * ascending. Anything else — other spacing or key order, escapes, exponents, a bad value — returns
 * null and the caller takes the general path, which accepts what is valid and names what is not.
 * So this can only be faster, never more lenient; a test holds it to the general path frame by
 * frame, mutated ones included.
 */
export interface ScannedBook {
  coin: string;
  time: number;
  levels: Float64Array;
}

export const L2BOOK_PREFIX = '{"channel":"l2Book","data":{"coin":"';
const MAX_LEVELS = 200;
const scratch = new Float64Array(packedLength(MAX_LEVELS, MAX_LEVELS));
/** 10^k for k ≤ 22: exactly representable, so a ≤ 15-digit integer over one of them rounds once, as Number() would. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_EXACT_DIGITS = 15;

const QUOTE = 34;
const BACKSLASH = 92;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** Where the scan is; `value` holds the last number read. One per module: the scan never re-enters. */
const cursor = { at: 0, value: 0 };

export function scanL2BookFrame(text: string): ScannedBook | null {
  if (!text.startsWith(L2BOOK_PREFIX)) return null;
  let at = L2BOOK_PREFIX.length;
  const coinStart = at;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) break;
    if (c !== c || c < 0x20 || c === BACKSLASH) return null; // end of text, a control character or an escape
    at++;
  }
  if (at === coinStart) return null;
  const coin = text.slice(coinStart, at);
  cursor.at = at;
  if (!literal(text, '","time":') || !integer(text)) return null;
  const time = cursor.value;
  if (!literal(text, ',"levels":[')) return null;
  let o = 2;
  for (let side = 0; side < 2; side++) {
    let count = 0;
    if (side === 1 && !literal(text, ',')) return null;
    if (!literal(text, '[')) return null;
    let prev = side === 0 ? Infinity : -Infinity;
    if (text.charCodeAt(cursor.at) === 93 /* ] */) {
      cursor.at++;
      scratch[side] = 0;
      continue;
    }
    for (;;) {
      if (count === MAX_LEVELS) return null;
      if (!literal(text, '{"px":"') || !decimal(text)) return null;
      const px = cursor.value;
      if (!(px > 0) || !(side === 0 ? px < prev : px > prev)) return null;
      prev = px;
      if (!literal(text, '","sz":"') || !decimal(text)) return null;
      const sz = cursor.value;
      if (!(sz > 0)) return null;
      if (!literal(text, '","n":') || !integer(text) || !literal(text, '}')) return null;
      scratch[o] = px;
      scratch[o + 1] = sz;
      scratch[o + 2] = cursor.value;
      o += LEVEL_STRIDE;
      count++;
      const next = text.charCodeAt(cursor.at++);
      if (next === 93 /* ] */) break;
      if (next !== 44 /* , */) return null;
    }
    scratch[side] = count;
  }
  if (!literal(text, ']}}') || cursor.at !== text.length) return null;
  return { coin, time, levels: scratch.slice(0, o) };
}

function literal(text: string, expected: string): boolean {
  if (!text.startsWith(expected, cursor.at)) return false;
  cursor.at += expected.length;
  return true;
}

/** A JSON integer ≥ 0 (no sign, fraction, exponent or leading zero) up to 2^53 − 1, where every step of the sum is exact. */
function integer(text: string): boolean {
  const start = cursor.at;
  let at = start;
  let value = 0;
  for (let c = text.charCodeAt(at); c >= ZERO && c <= NINE; c = text.charCodeAt(++at)) value = value * 10 + (c - ZERO);
  const digits = at - start;
  if (digits === 0 || value > Number.MAX_SAFE_INTEGER || (digits > 1 && text.charCodeAt(start) === ZERO)) return false;
  cursor.at = at;
  cursor.value = value;
  return true;
}

/**
 * The body of a decimal string `\d+(\.\d+)?` up to its closing quote (left unread), as Number() reads
 * it. Up to 15 significant digits the integer of all digits is exact and one division by an exact
 * power of ten rounds correctly; longer ones go through Number() itself.
 */
function decimal(text: string): boolean {
  const start = cursor.at;
  let at = start;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === DOT && fraction < 0 && digits > 0) {
      fraction = 0;
    } else break;
    at++;
  }
  if (text.charCodeAt(at) !== QUOTE || digits === 0 || fraction === 0) return false;
  cursor.value = digits <= MAX_EXACT_DIGITS ? (fraction > 0 ? mantissa / POW10[fraction]! : mantissa) : Number(text.slice(start, at));
  cursor.at = at;
  return true;
}
