import { DeribitBook, type BookDelta } from '../electron/venues/deribit/order-book.ts';
import { wireBook } from '../electron/venues/deribit/wire-schemas.ts';
import { opsPerSecond, type Row } from './measure.ts';
import { Random } from '../electron/sim/random.ts';

/**
 * Deribit `book` change messages applied per second. Ours: sorted typed arrays with binary search.
 * Baseline: the obvious sorted array of [price, amount] tuples (find, splice, re-sort on insert).
 * No maintained npm order book applies level deltas without per-level objects, so the baseline is
 * the naive structure most clients start with.
 */
class NaiveSide {
  levels: [number, number][] = [];
  private readonly descending: boolean;
  constructor(descending: boolean) {
    this.descending = descending;
  }
  set(price: number, amount: number): void {
    const i = this.levels.findIndex((l) => l[0] === price);
    if (amount <= 0) {
      if (i >= 0) this.levels.splice(i, 1);
    } else if (i >= 0) this.levels[i]![1] = amount;
    else {
      this.levels.push([price, amount]);
      this.levels.sort((a, b) => (this.descending ? b[0] - a[0] : a[0] - b[0]));
    }
  }
}

/** Change messages around a book of `depth` levels a side: mostly size changes, some adds/deletes. */
function messages(depth: number, count: number, seed: number): { bids: BookDelta[]; asks: BookDelta[] }[] {
  const rng = new Random(seed);
  const live = { bids: new Set<number>(), asks: new Set<number>() };
  for (let i = 1; i <= depth; i++) {
    live.bids.add(1000 - i);
    live.asks.add(1000 + i);
  }
  const out: { bids: BookDelta[]; asks: BookDelta[] }[] = [];
  for (let m = 0; m < count; m++) {
    const msg = { bids: [] as BookDelta[], asks: [] as BookDelta[] };
    for (const side of ['bids', 'asks'] as const) {
      const n = 1 + rng.int(3);
      for (let k = 0; k < n; k++) {
        const r = rng.next();
        const px = side === 'bids' ? 1000 - 1 - rng.int(depth * 1.2) : 1000 + 1 + rng.int(depth * 1.2);
        if (r < 0.15 && live[side].has(px)) {
          live[side].delete(px);
          msg[side].push(['delete', px / 10_000, 0]);
        } else {
          const had = live[side].has(px);
          live[side].add(px);
          msg[side].push([had ? 'change' : 'new', px / 10_000, 1 + rng.int(100)]);
        }
      }
    }
    out.push(msg);
  }
  return out;
}

function bench(depth: number): Row[] {
  const msgs = messages(depth, 20_000, depth);
  const ours = new DeribitBook();
  const snapshotBids: BookDelta[] = Array.from({ length: depth }, (_, i) => ['new', (1000 - 1 - i) / 10_000, 10]);
  const snapshotAsks: BookDelta[] = Array.from({ length: depth }, (_, i) => ['new', (1000 + 1 + i) / 10_000, 10]);
  ours.snapshot(0, 0, snapshotBids, snapshotAsks);
  let id = 0;
  const oursRate = opsPerSecond((i) => {
    const m = msgs[i % msgs.length]!;
    ours.change(id, id + 1, 0, m.bids, m.asks);
    id++;
  }, msgs.length);
  const naive = { bids: new NaiveSide(true), asks: new NaiveSide(false) };
  for (const [, p, a] of snapshotBids) naive.bids.set(p, a);
  for (const [, p, a] of snapshotAsks) naive.asks.set(p, a);
  const naiveRate = opsPerSecond((i) => {
    const m = msgs[i % msgs.length]!;
    for (const [a, p, s] of m.bids) naive.bids.set(p, a === 'delete' ? 0 : s);
    for (const [a, p, s] of m.asks) naive.asks.set(p, a === 'delete' ? 0 : s);
  }, msgs.length);
  return [
    {
      bench: `Deribit book changes applied, ${depth} levels a side`,
      result: `${(oursRate / 1e6).toFixed(2)} M msg/s`,
      against: `sorted tuple array ${(naiveRate / 1e6).toFixed(2)} M msg/s`,
      ratio: `${(oursRate / naiveRate).toFixed(1)}×`,
    },
  ];
}

/** The whole path per message: JSON text → validated → applied. */
function endToEnd(): Row {
  const msgs = messages(10, 5000, 3);
  const texts = msgs.map((m, i) =>
    JSON.stringify({ type: 'change', timestamp: 1, instrument_name: 'BTC-27DEC24-100000-C', prev_change_id: i, change_id: i + 1, bids: m.bids, asks: m.asks }),
  );
  const book = new DeribitBook();
  let expect = 0;
  const rate = opsPerSecond((i) => {
    const j = i % texts.length;
    if (j === 0) {
      book.snapshot(0, 0, [], []);
      expect = 0;
    }
    const r = wireBook.parse(JSON.parse(texts[j]!));
    if (r.type === 'change') book.change(expect, r.change_id, r.timestamp, r.bids, r.asks);
    expect = r.change_id;
  }, texts.length);
  return {
    bench: '  parse + validate + apply, option book (10 levels)',
    result: `${(rate / 1000).toFixed(0)} k msg/s`,
    against: 'Deribit 100ms feed, 1,000 options: 10 k msg/s',
    ratio: `${(rate / 10_000).toFixed(1)}× headroom`,
  };
}

export function benchDeribitBook(): Row[] {
  return [...bench(10), ...bench(500), endToEnd()];
}
