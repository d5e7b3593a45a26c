import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine.ts';
import { startSimulatedMarket, type SimulatedMarket } from '../../electron/sim/start-sim.ts';
import { decodeFrame } from '../../shared/stream/frame-codec.ts';
import type { StreamFrame } from '../../shared/stream/frame.ts';
import { waitFor } from '../support/wait.ts';

/** The engine in-process against the simulator: what a window receives. */
let sim: SimulatedMarket;
let engine: Engine;
const frames: { at: number; frame: StreamFrame }[] = [];

beforeAll(async () => {
  sim = await startSimulatedMarket({ seed: 3, bookIntervalMs: 20, stepMs: 10, aave: false });
  engine = new Engine({ mode: 'paper', hyperliquid: sim.endpoints });
  engine.addStreamSink((bytes) => frames.push({ at: performance.now(), frame: decodeFrame(bytes) }));
  await engine.start();
});

afterAll(async () => {
  engine.stop();
  await sim.close();
});

describe('engine stream', () => {
  it('publishes at most one frame per 16 ms even when the venue is faster', async () => {
    await waitFor(() => frames.length > 40, 'frames', 10_000);
    const gaps = frames.slice(1).map((f, i) => f.at - frames[i]!.at);
    // Timer granularity allows a little slack below 16 ms, never a burst.
    expect(Math.min(...gaps)).toBeGreaterThan(12);
    expect(frames.map((f) => f.frame.seq)).toEqual(frames.map((_, i) => frames[0]!.frame.seq + i));
  });

  it('carries books for both markets, mids, trades and venue status', async () => {
    await waitFor(() => frames.some((f) => f.frame.venues?.some((v) => v.state === 'connected')), 'connected status');
    const ids = new Set(frames.flatMap((f) => f.frame.books.map((b) => b.instrumentId)));
    expect(ids).toEqual(new Set(['hyperliquid:BTC-PERP', 'hyperliquid:ETH-PERP']));
    // Trades arrive at random (a few a second); wait for them rather than assume a count.
    await waitFor(() => frames.some((f) => f.frame.trades.length > 0), 'a frame with trades');
    await waitFor(() => frames.some((f) => Object.keys(f.frame.mids).length > 0), 'a frame with mids');
  });

  it('answers candle requests and then streams the live bar for that timeframe', async () => {
    const r = await engine.request('market.candles', { instrumentId: 'hyperliquid:ETH-PERP', timeframe: '1m' });
    expect(r.ok && (r.value as unknown[]).length).toBeGreaterThan(100);
    await waitFor(() => frames.some((f) => f.frame.candles.some((c) => c.instrumentId === 'hyperliquid:ETH-PERP' && c.timeframe === '1m')), 'live candle');
  });

  it('streams the book in view grouped by the venue at the screen’s step, beside the raw book, until told to stop', async () => {
    const r = await engine.request('market.groupBook', { instrumentId: 'hyperliquid:ETH-PERP', step: 10 });
    expect(r).toEqual({ ok: true, value: { grouped: true } });
    const from = frames.length;
    await waitFor(() => frames.slice(from).some((f) => f.frame.groupedBooks?.some((b) => b.instrumentId === 'hyperliquid:ETH-PERP' && b.step === 10)), 'a grouped ETH book');
    // The raw books go on as before (the engine prices and trades on those).
    expect(frames.slice(from).some((f) => f.frame.books.some((b) => b.instrumentId === 'hyperliquid:ETH-PERP'))).toBe(true);
    // A step the venue does not aggregate at is the screen's to group; an unknown market is refused.
    expect(await engine.request('market.groupBook', { instrumentId: 'hyperliquid:ETH-PERP', step: 2.5 })).toEqual({ ok: true, value: { grouped: false } });
    const unknown = await engine.request('market.groupBook', { instrumentId: 'hyperliquid:DOGE-PERP', step: 10 });
    expect(!unknown.ok && unknown.error.message).toMatch(/no instrument hyperliquid:DOGE-PERP/);
    const stopped = frames.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(frames.slice(stopped).some((f) => f.frame.groupedBooks)).toBe(false);
  });
});
