import { Random } from '../../electron/sim/random.ts';

/*
 * Seeded chaos for an order flow, reusable by every venue: intents are placed, repeated and
 * cancelled while faults are injected at random; after every run the invariants a trader relies
 * on are checked — no intent ever has two orders at the venue, the engine's open orders are the
 * venue's, and what the engine says filled is what moved the venue's position.
 */

export interface ChaosIntent {
  intentId: string;
  side: 'buy' | 'sell';
  /** Coins. */
  size: number;
  /** USD, or null for a market order. */
  limit: number | null;
  tif: 'Gtc' | 'Ioc' | 'Alo';
}

export interface ChaosTarget {
  /** Places through the engine; resolves or rejects as the engine answers. */
  place(intent: ChaosIntent): Promise<unknown>;
  cancel(intentId: string): Promise<unknown>;
  /** The market now, to price intents around it. */
  bestBid(): number;
  bestAsk(): number;
  /** A price onto the venue's grid (default: whole dollars). */
  roundPrice?(price: number): number;
  /** After the faults: until the engine is reconciled and trading again. */
  settle(): Promise<void>;
  /** Client ids of the engine's live orders. */
  engineOpen(): Set<string>;
  /** The engine's client id for an intent (null if it never made an order). */
  clientIdOf(intentId: string): string | null;
  /** Net coins the engine says its orders filled. */
  engineNetFilled(): number;
  /** How many orders the venue ever accepted with this client id. */
  venueOrdersWith(clientId: string): number;
  venueOpen(): Promise<Set<string>>;
  /** The venue's signed position, coins. */
  venuePosition(): Promise<number>;
}

export interface ChaosFault {
  name: string;
  inject(rng: Random): Promise<void> | void;
}

export interface ChaosReport {
  seed: number;
  intents: number;
  placed: number;
  refused: number;
  /** Why the engine refused, by reason (first 60 characters), with counts. */
  refusals: Record<string, number>;
  repeats: number;
  cancels: number;
  faults: Record<string, number>;
  filledNet: number;
}

export interface ChaosOptions {
  seed: number;
  intents: number;
  faults: ChaosFault[];
  /** Probability that a fault is injected before an intent. */
  faultRate?: number;
  repeatRate?: number;
  cancelRate?: number;
  /** Spacing between intents, ms (they overlap: each runs on its own). */
  spacingMs?: number;
}

export async function runOrderChaos(target: ChaosTarget, o: ChaosOptions): Promise<ChaosReport> {
  const rng = new Random(o.seed);
  const report: ChaosReport = { seed: o.seed, intents: o.intents, placed: 0, refused: 0, refusals: {}, repeats: 0, cancels: 0, faults: {}, filledNet: 0 };
  const positionBefore = await target.venuePosition();
  const netBefore = target.engineNetFilled();
  // The choices are drawn up front (the seed decides them); prices are read when each is placed.
  const plans = Array.from({ length: o.intents }, (_, k) => planIntent(rng, `chaos-${o.seed}-${k}-${Date.now()}`));
  const intents: ChaosIntent[] = [];
  await Promise.all(
    plans.map(async (plan, k) => {
      await new Promise((r) => setTimeout(r, k * (o.spacingMs ?? 25)));
      const intent = plan(target.bestBid(), target.bestAsk(), (px: number) => (target.roundPrice ? target.roundPrice(px) : Math.round(px)));
      intents.push(intent);
      if (rng.next() < (o.faultRate ?? 0.35) && o.faults.length) {
        const fault = o.faults[rng.int(o.faults.length)]!;
        report.faults[fault.name] = (report.faults[fault.name] ?? 0) + 1;
        await fault.inject(rng);
      }
      const repeats = rng.next() < (o.repeatRate ?? 0.25) ? 3 : 1;
      if (repeats > 1) report.repeats++;
      const results = await Promise.allSettled(Array.from({ length: repeats }, () => target.place(intent)));
      if (results.some((r) => r.status === 'fulfilled')) report.placed++;
      else {
        report.refused++;
        const why = String(((results[0] as PromiseRejectedResult).reason as Error | undefined)?.message ?? 'unknown').slice(0, 60);
        report.refusals[why] = (report.refusals[why] ?? 0) + 1;
      }
      if (intent.tif === 'Gtc' && rng.next() < (o.cancelRate ?? 0.3)) {
        report.cancels++;
        await target.cancel(intent.intentId).catch(() => undefined);
      }
    }),
  );
  await target.settle();
  // Invariant 1: one intent, at most one order at the venue, ever.
  for (const i of intents) {
    const clientId = target.clientIdOf(i.intentId);
    if (clientId && target.venueOrdersWith(clientId) > 1) throw new Error(`seed ${o.seed}: intent ${i.intentId} has ${target.venueOrdersWith(clientId)} orders at the venue`);
  }
  // Invariant 2: the engine's open orders are the venue's.
  const venueOpen = await target.venueOpen();
  const engineOpen = target.engineOpen();
  const onlyEngine = [...engineOpen].filter((c) => !venueOpen.has(c));
  const onlyVenue = [...venueOpen].filter((c) => !engineOpen.has(c));
  if (onlyEngine.length || onlyVenue.length) throw new Error(`seed ${o.seed}: open orders differ — engine only ${onlyEngine.join(', ') || 'none'}; venue only ${onlyVenue.join(', ') || 'none'}`);
  // Invariant 3: what the engine says filled is what moved the venue's position.
  report.filledNet = target.engineNetFilled() - netBefore;
  const moved = (await target.venuePosition()) - positionBefore;
  if (Math.abs(moved - report.filledNet) > 1e-9) throw new Error(`seed ${o.seed}: the venue's position moved ${moved} but the engine counted ${report.filledNet} filled`);
  return report;
}

/** Resting buys and sells near the touch, marketable Iocs at the touch (larger than its level, so they fill in part), market orders, and refusals (under the minimum value, a post-only that crosses). */
function planIntent(rng: Random, intentId: string): (bid: number, ask: number, round: (px: number) => number) => ChaosIntent {
  const side = rng.next() < 0.5 ? 'buy' : 'sell';
  const roll = rng.next();
  const a = rng.int(3);
  const b = rng.next();
  const c = rng.int(30);
  const d = rng.int(5);
  return (bid, ask, round) => intentAt(side, roll, a, b, c, d, bid, ask, round, intentId);
}

function intentAt(side: 'buy' | 'sell', roll: number, a: number, b: number, c: number, d: number, bid: number, ask: number, round: (px: number) => number, intentId: string): ChaosIntent {
  const away = (f: number): number => round(side === 'buy' ? bid * (1 - f) : ask * (1 + f));
  if (roll < 0.45) return { intentId, side, size: 0.001 + a / 1000, limit: away(0.002 + b * 0.01), tif: 'Gtc' };
  if (roll < 0.65) return { intentId, side, size: 1 + c / 10, limit: side === 'buy' ? ask : bid, tif: 'Ioc' };
  if (roll < 0.8) return { intentId, side, size: 0.001 + d / 1000, limit: null, tif: 'Ioc' };
  if (roll < 0.9) return { intentId, side, size: 0.00001, limit: away(0.01), tif: 'Gtc' };
  return { intentId, side, size: 0.001, limit: side === 'buy' ? round(ask * 1.01) : round(bid * 0.99), tif: 'Alo' };
}
