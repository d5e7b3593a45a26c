import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine.ts';
import { DERIVE_SIM_FEES } from '../../electron/sim/derive/derive-options.ts';
import { startSimulatedMarket, type SimulatedMarket } from '../../electron/sim/start-sim.ts';
import type { Mispricing, OptionContract } from '../../shared/domain/options.ts';
import { decodeFrame } from '../../shared/stream/frame-codec.ts';
import { unpackSide } from '../../shared/stream/packed-book.ts';
import { edgeTarget } from '../support/edge-target.ts';
import { waitFor } from '../support/wait.ts';

/*
 * Two option venues in one engine, on their simulators: Derive's options land on the rows of the
 * same Deribit contracts; an edge injected on Derive (its quotes moved 25 vol points up) shows in
 * the mispricing list as a cross-venue trade — buy on Deribit, sell on Derive — with each leg's fee
 * as that venue publishes it, the size both touches carry, a first-seen time that holds while it
 * lasts, and it is gone once the misquote is removed.
 */
let sim: SimulatedMarket;
let engine: Engine;

beforeAll(async () => {
  sim = await startSimulatedMarket({ seed: 11, aave: false, controlToken: 'cross' });
  engine = new Engine({ mode: 'paper', hyperliquid: sim.endpoints, deribit: { wsUrl: sim.endpoints.deribit.wsUrl }, derive: { wsUrl: sim.endpoints.derive.wsUrl }, refitIntervalMs: 200 });
  await engine.start();
}, 20_000);

afterAll(async () => {
  engine.stop();
  await sim.close();
});

const board = () => engine.options.board;
async function deriveFault(command: Record<string, unknown>): Promise<void> {
  const res = await fetch(sim.endpoints.derive.controlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sim-control': 'cross' }, body: JSON.stringify(command) });
  expect(res.ok, await res.text()).toBe(true);
}
const crossFor = (c: OptionContract): Mispricing | undefined => (engine.options.mispricings.get(c.underlying) ?? []).find((m) => m.kind === 'cross-venue' && m.legs.some((l) => l.contract === c.name));

describe('one chain across Deribit and Derive', () => {
  it('quotes Derive beside Deribit on the same contracts, in USD', async () => {
    await waitFor(() => board().contracts.some((c) => c.peer && board().get(c.row, 'peerBid') > 0 && board().get(c.row, 'bid') > 0), 'a contract quoted on both venues', 15_000);
    const linked = board().contracts.filter((c) => c.peer);
    // Derive lists the first five expiries and every other strike: a part of Deribit's chain.
    expect(linked.length).toBeGreaterThan(20);
    expect(linked.length).toBeLessThan(board().contracts.length);
    for (const c of linked) expect(c.peer!.name).toMatch(new RegExp(`^${c.underlying}-\\d{8}-${c.strike}-${c.kind === 'call' ? 'C' : 'P'}$`));
    // Connected once every option's quote has been read (the quotes come a moment before).
    await waitFor(() => engine.state.venues.get('derive')?.state === 'connected', 'Derive connected', 5_000);
  });

  it('the cursor on a contract Derive lists streams Derive’s book beside Deribit’s, in USD, and stops when it moves off', async () => {
    const books = new Map<string, Float64Array>();
    const off = engine.addStreamSink((bytes) => {
      for (const b of decodeFrame(bytes).books) books.set(b.instrumentId, b.levels);
    });
    try {
      const c = board().contracts.find((x) => x.peer && board().get(x.row, 'peerBid') > 0)!;
      const r = await engine.request('options.focus', { name: c.name });
      expect(r.ok).toBe(true);
      await waitFor(() => books.has(`derive:${c.peer!.name}`) && books.has(`deribit:${c.name}`), 'both venues’ books of the cursor', 8_000);
      const mine = books.get(`derive:${c.peer!.name}`)!;
      const venue = sim.derive.market.byName.get(c.peer!.name)!;
      const bids = unpackSide(mine, 'bid');
      // USD per contract on Derive's tick, best first, within a requote of the venue's own book.
      expect(bids.length).toBeGreaterThan(0);
      expect(bids.every((l, i) => i === 0 || l.price < bids[i - 1]!.price)).toBe(true);
      expect(Math.abs(bids[0]!.price - venue.bid)).toBeLessThanOrEqual(venue.tick * 20);
      expect(bids[0]!.price).toBeGreaterThan(1);
      // Off to a contract Derive does not list: its book stops coming.
      const lone = board().contracts.find((x) => !x.peer)!;
      await engine.request('options.focus', { name: lone.name });
      await new Promise((res) => setTimeout(res, 300));
      books.clear();
      await new Promise((res) => setTimeout(res, 1_000));
      expect([...books.keys()].filter((k) => k.startsWith('derive:'))).toEqual([]);
    } finally {
      off();
    }
  });

  it('an edge injected on Derive shows as buy on Deribit, sell on Derive, net of both fees; it goes when removed', async () => {
    // The ATM call, quoted on both, of the soonest expiry two days out or more.
    await waitFor(() => edgeTarget(board()) !== undefined, 'the call to misquote quoted on both venues', 15_000);
    const target = edgeTarget(board())!;
    expect(crossFor(target)).toBeUndefined();
    await deriveFault({ fault: 'misquote', instrument: target.peer!.name, volPoints: 25 });
    await waitFor(() => crossFor(target) !== undefined, 'the cross-venue edge listed', 10_000);
    const m = crossFor(target)!;
    const [buy, sell] = m.legs;
    expect([buy!.side, buy!.venue, buy!.name]).toEqual(['buy', 'deribit', target.name]);
    expect([sell!.side, sell!.venue, sell!.name]).toEqual(['sell', 'derive', target.peer!.name]);
    const index = board().get(target.row, 'index');
    // Fees as each venue publishes them: Deribit 0.03 % of the index capped at 12.5 % of the premium;
    // Derive its base fee plus the same rate, capped the same way (the simulator's listing).
    expect(buy!.feeUsd).toBeCloseTo(Math.min(0.0003 * index, 0.125 * buy!.priceUsd), 0);
    expect(sell!.feeUsd).toBeCloseTo(DERIVE_SIM_FEES.baseFee + Math.min(DERIVE_SIM_FEES.takerRate * index, DERIVE_SIM_FEES.premiumCap * sell!.priceUsd), 0);
    expect(m.edge).toBeCloseTo(sell!.priceUsd - sell!.feeUsd - (buy!.priceUsd + buy!.feeUsd), 9);
    expect(m.edge).toBeGreaterThan(1);
    expect(m.size).toBe(Math.min(buy!.size, sell!.size));
    expect(m.size).toBeGreaterThan(0);
    // The legs are the venues' touches: Derive's on the USDC tick, Deribit's a coin price at the index.
    expect(Math.abs(sell!.priceUsd / target.peer!.tickUsd - Math.round(sell!.priceUsd / target.peer!.tickUsd))).toBeLessThan(1e-6);
    const first = m.since;
    await new Promise((r) => setTimeout(r, 800));
    expect(crossFor(target)?.since).toBe(first);
    await deriveFault({ fault: 'clear' });
    await waitFor(() => crossFor(target) === undefined, 'the edge gone once Derive quotes fairly again', 10_000);
  });
});
