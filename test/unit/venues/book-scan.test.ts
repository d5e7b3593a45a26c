import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookLevels } from '../../../electron/sim/hyperliquid/payloads.ts';
import { SimMarket } from '../../../electron/sim/sim-market.ts';
import { packL2Book } from '../../../electron/venues/hyperliquid/book-parse.ts';
import { scanL2BookFrame, type ScannedBook } from '../../../electron/venues/hyperliquid/book-scan.ts';
import { wireFrame, wireL2Book } from '../../../electron/venues/hyperliquid/wire-schemas.ts';

/** The general path, as the adapter takes it for any frame the scan declines. */
function general(text: string): ScannedBook | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const frame = wireFrame.safeParse(json);
  if (!frame.success || frame.data.channel !== 'l2Book') return null;
  const book = wireL2Book.safeParse(frame.data.data);
  if (!book.success) return null;
  const levels = packL2Book(book.data);
  return typeof levels === 'string' ? null : { coin: book.data.coin, time: book.data.time, levels };
}

const plain = (b: ScannedBook | null) => b && { coin: b.coin, time: b.time, levels: Array.from(b.levels) };

const documented =
  '{"channel":"l2Book","data":{"coin":"BTC","time":1754450974231,"levels":[[{"px":"113377.0","sz":"7.6699","n":17},{"px":"113376.0","sz":"4.13714","n":8}],[{"px":"113397.0","sz":"0.11543","n":3}]]}}';

/** A decimal string as the venue might print it: up to 20 digits, some after the point. */
const decimalString = fc
  .tuple(fc.stringMatching(/^[0-9]{1,12}$/), fc.option(fc.stringMatching(/^[0-9]{1,10}$/), { nil: undefined }))
  .map(([i, f]) => (f === undefined ? i : `${i}.${f}`));
const level = fc.record({ px: decimalString, sz: decimalString, n: fc.integer({ min: 0, max: 10_000 }) });
const frameText = fc
  .record({
    coin: fc.constantFrom('BTC', 'ETH', '@107', 'kPEPE'),
    time: fc.integer({ min: 0, max: 2 ** 52 }),
    bids: fc.array(level, { maxLength: 25 }),
    asks: fc.array(level, { maxLength: 25 }),
  })
  .map(({ coin, time, bids, asks }) => {
    // Sorted as the venue sends them (duplicates and zeros left in: those must be refused).
    bids.sort((a, b) => Number(b.px) - Number(a.px));
    asks.sort((a, b) => Number(a.px) - Number(b.px));
    return JSON.stringify({ channel: 'l2Book', data: { coin, time, levels: [bids, asks] } });
  });

describe('l2Book fast scan', () => {
  it('reads the documented frame exactly as the general path does', () => {
    const scanned = scanL2BookFrame(documented);
    expect(scanned).not.toBeNull();
    expect(plain(scanned)).toEqual(plain(general(documented)));
    expect(Array.from(scanned!.levels)).toEqual([2, 1, 113377, 7.6699, 17, 113376, 4.13714, 8, 113397, 0.11543, 3]);
  });

  it('takes every frame the simulator sends, with the same numbers to the bit', () => {
    const market = new SimMarket({ seed: 3, now: Date.UTC(2026, 0, 1), historyMs: 60_000 });
    for (let i = 0; i < 200; i++) {
      market.advanceTo(Date.UTC(2026, 0, 1) + i * 137);
      const coin = market.coin(i % 2 ? 'ETH' : 'BTC')!;
      const text = JSON.stringify({ channel: 'l2Book', data: { coin: coin.config.coin, time: 1_700_000_000_000 + i, levels: bookLevels(coin) } });
      const scanned = scanL2BookFrame(text);
      expect(scanned).not.toBeNull();
      expect(plain(scanned)).toEqual(plain(general(text)));
    }
  });

  it('agrees with the general path on random books, long decimals included', () => {
    fc.assert(
      fc.property(frameText, (text) => {
        const want = general(text);
        const got = scanL2BookFrame(text);
        // Declining is allowed (the general path then runs); accepting something else is not.
        if (got) expect(plain(got)).toEqual(plain(want));
        // Every valid compact frame of these sizes is taken by the scan, refused ones never are.
        expect(got === null).toBe(want === null);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts a damaged frame the general path would refuse, nor reads one differently', () => {
    const alphabet = '0123456789.-e"{}[],: \\abnpxsz';
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...alphabet), (where, op, ch) => {
        const at = where % (documented.length + 1);
        const text =
          op === 0 ? documented.slice(0, at) + ch + documented.slice(at + 1) : op === 1 ? documented.slice(0, at) + ch + documented.slice(at) : documented.slice(0, at) + documented.slice(at + 1);
        const got = scanL2BookFrame(text);
        if (got) expect(plain(got)).toEqual(plain(general(text)));
      }),
      { numRuns: 5000 },
    );
  });

  it('declines what it does not read itself, so the general path can accept or name it', () => {
    const spaced = JSON.stringify(JSON.parse(documented), null, 1);
    expect(scanL2BookFrame(spaced)).toBeNull();
    expect(general(spaced)).not.toBeNull();
    const escaped = documented.replace('"coin":"BTC"', '"coin":"\\u0042TC"');
    expect(scanL2BookFrame(escaped)).toBeNull();
    expect(general(escaped)?.coin).toBe('BTC');
    const extraKey = documented.replace('"n":17}', '"n":17,"x":1}');
    expect(scanL2BookFrame(extraKey)).toBeNull();
    expect(general(extraKey)).not.toBeNull();
    // Past 2^53 − 1 a time is not an exact integer: the schema refuses it, and so does the scan.
    const longTime = documented.replace('1754450974231', '1754450974231000123');
    expect(scanL2BookFrame(longTime)).toBeNull();
    expect(general(longTime)).toBeNull();
    for (const bad of [documented.replace('"113376.0"', '"113378.0"'), documented.replace('"7.6699"', '"0.0"'), documented.replace('"n":17', '"n":1.5'), documented + ' ']) {
      expect(scanL2BookFrame(bad)).toBeNull();
    }
    expect(general(documented.replace('"113376.0"', '"113378.0"'))).toBeNull();
  });

  it('refuses a side past 200 levels, as the schema does', () => {
    const levels = (k: number, from: number, dir: number) => Array.from({ length: k }, (_, i) => ({ px: String(from + dir * i), sz: '1', n: 1 }));
    const text = (k: number) => JSON.stringify({ channel: 'l2Book', data: { coin: 'BTC', time: 1, levels: [levels(k, 50_000, -1), levels(3, 50_001, 1)] } });
    expect(scanL2BookFrame(text(200))?.levels[0]).toBe(200);
    expect(scanL2BookFrame(text(201))).toBeNull();
    expect(general(text(201))).toBeNull();
  });
});
