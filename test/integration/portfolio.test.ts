import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine.ts';
import { positionRisk } from '../../electron/engine/risk/portfolio.ts';
import { startSimulatedMarket, type SimulatedMarket } from '../../electron/sim/start-sim.ts';
import type { LadderInputs, LadderSnapshot, PortfolioSnapshot } from '../../shared/domain/portfolio.ts';
import { decodeFrame } from '../../shared/stream/frame-codec.ts';
import { waitFor } from '../support/wait.ts';

/** The portfolio in-process against the simulator's paper accounts on both venues. */
let sim: SimulatedMarket;
let engine: Engine;
let dataDir: string;
let latest: PortfolioSnapshot | null = null;
let ladders: LadderSnapshot[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'deltadesk-portfolio-'));
  sim = await startSimulatedMarket({ seed: 11, aave: false });
  engine = new Engine({
    mode: 'paper',
    hyperliquid: sim.endpoints,
    deribit: { wsUrl: sim.endpoints.deribit.wsUrl, credentials: { clientId: sim.endpoints.deribit.clientId, clientSecret: sim.endpoints.deribit.clientSecret } },
    refitIntervalMs: 200,
    deribitPollMs: 500,
    dataDir,
    paperAddress: sim.endpoints.paperAddress,
  });
  engine.addStreamSink((bytes) => {
    const f = decodeFrame(bytes);
    if (f.portfolio) latest = f.portfolio;
    if (f.ladders) ladders = f.ladders;
  });
  await engine.start();
}, 30_000);

afterAll(async () => {
  engine.stop();
  await sim.close();
  await rm(dataDir, { recursive: true, force: true });
});

const snapshot = (): PortfolioSnapshot => latest!;

describe('portfolio from the paper accounts', () => {
  it('holds the Hyperliquid perp hedge and the Deribit options, priced', async () => {
    await waitFor(() => (latest?.positions.filter((p) => !p.problem).length ?? 0) >= 6, 'six priced positions', 20_000);
    const p = snapshot().positions;
    const perps = p.filter((x) => x.def.source === 'hyperliquid');
    expect(perps.map((x) => x.def.instrument).sort()).toEqual(['BTC-PERP', 'ETH-PERP']);
    const btcPerp = perps.find((x) => x.def.underlying === 'BTC')!;
    expect(btcPerp.def.quantity).toBe(-4);
    // A short is liquidated above the mark; ours and the venue's agree to the cent on the simulator.
    expect(btcPerp.liquidation!.venuePrice!).toBeGreaterThan(btcPerp.mark);
    expect(btcPerp.liquidation!.modelPrice!).toBeCloseTo(btcPerp.liquidation!.venuePrice!, 0);
    expect(btcPerp.liquidation!.distancePct!).toBeGreaterThan(0);
    expect(btcPerp.liquidation!.distanceSigmas!).toBeGreaterThan(0);
    const options = p.filter((x) => x.def.source === 'deribit');
    expect(options.length).toBe(4);
    for (const o of options) {
      expect(o.volSource).toBe('venue mark');
      expect(o.def.type === 'option' && o.def.venueGreeks?.deltaCoin).not.toBeNull();
    }
  });

  it('computes each position with the pricing core and shows the venue delta beside ours', async () => {
    await waitFor(() => (latest?.positions.filter((p) => !p.problem).length ?? 0) >= 6, 'priced positions');
    const s = snapshot();
    for (const row of s.positions.filter((x) => x.def.type === 'option')) {
      if (row.def.type !== 'option') continue;
      const spot = s.totals.find((t) => t.underlying === row.def.underlying)!.spot;
      const g = positionRisk({ ...row.def, vol: row.vol!, forward: row.underlyingPrice }, { spot }, s.computedAt);
      expect(row.greeks.deltaCoin).toBeCloseTo(g.deltaCoin, 9);
      expect(row.greeks.vegaUsd).toBeCloseTo(g.vegaUsd, 6);
      // Venue reports BS delta from its own mark; ours from the same IV and forward agrees closely.
      const venue = row.def.venueGreeks!.deltaCoin!;
      expect(Math.abs(row.deltaBsCoin - venue)).toBeLessThan(0.02 * Math.abs(row.def.quantity) + 1e-3);
    }
    const btc = s.totals.find((t) => t.underlying === 'BTC')!;
    const rows = s.positions.filter((x) => x.def.underlying === 'BTC');
    // PnL in USD (the default): the coins Deribit holds as collateral are delta, one per coin.
    expect(s.numeraire).toBe('usd');
    expect(btc.collateral).toHaveLength(1);
    const coins = btc.collateral[0]!.coins;
    expect(coins).toBeGreaterThan(5);
    expect(btc.greeks.deltaCoin).toBeCloseTo(rows.reduce((a, r) => a + r.greeks.deltaCoin, 0) + coins, 9);
    expect(btc.greeks.deltaUsd).toBeCloseTo(rows.reduce((a, r) => a + r.greeks.deltaUsd, 0) + coins * btc.spot, 3);
    expect(btc.liquidationAbove).not.toBeNull();
    expect(s.accounts.map((a) => a.source).sort()).toEqual(['deribit', 'deribit', 'hyperliquid']);
  });

  it("Deribit's short puts on coin margin: our standard margin beside the venue's, and a liquidation price on every Deribit position", async () => {
    await waitFor(() => snapshot()?.accounts.find((a) => a.source === 'deribit' && a.model !== undefined) ?? null, 'our Deribit margin', 10_000);
    const s = snapshot();
    for (const a of s.accounts.filter((x) => x.source === 'deribit' && x.model)) {
      // The simulator charges Deribit's own rules at its own marks; ours, at the venue's mark IVs, agree.
      expect(a.model!.maintenanceUsd / a.maintenanceUsd!).toBeCloseTo(1, 1);
      expect(a.model!.initialUsd).toBeGreaterThanOrEqual(a.model!.maintenanceUsd);
    }
    const btc = s.accounts.find((a) => a.source === 'deribit' && a.account.endsWith('BTC'))!;
    const shortPut = s.positions.find((p) => p.def.source === 'deribit' && p.def.underlying === 'BTC' && p.def.type === 'option' && p.def.quantity < 0)!;
    // Liq ↓ is no longer "none": the whole account's price, shown on the put.
    const below = btc.model!.liquidationBelow;
    expect(below).not.toBeNull();
    expect(shortPut.liquidation?.modelPrice).toBe(below);
    expect(shortPut.liquidation!.distancePct!).toBeLessThan(0);
    expect(below!).toBeLessThan(btc.equityUsd! > 0 ? s.totals.find((t) => t.underlying === 'BTC')!.spot : 0);
  });

  it('the BTC ladder shows each venue account’s margin use per row: at spot what the account reads, 100 % at its liquidation, a margin call where the alert warns', async () => {
    await waitFor(() => ladders.find((l) => l.spec.underlying === 'BTC' && l.margins.length === 2) ?? null, 'the BTC ladder’s margin columns', 10_000);
    const l = ladders.find((x) => x.spec.underlying === 'BTC')!;
    const s = snapshot();
    expect(l.margins.map((m) => m.label)).toEqual(['Deribit BTC', expect.stringMatching(/^HL 0x[0-9a-f]{4}…[0-9a-f]{4}$/)]);
    let spotRow = 0;
    for (let i = 1; i < l.prices.length; i++) if (Math.abs(l.prices[i]! - l.spot) < Math.abs(l.prices[spotRow]! - l.spot)) spotRow = i;
    // The spot row is within half a step of spot: margin use there is the account's now, within a few %.
    const deribit = s.accounts.find((a) => a.source === 'deribit' && a.account.endsWith('BTC'))!;
    expect(l.margins[0]!.use[spotRow]! / ((deribit.model!.maintenanceUsd / deribit.equityUsd!) * 100)).toBeCloseTo(1, 1);
    const hl = s.accounts.find((a) => a.source === 'hyperliquid')!;
    // Hyperliquid's cross ratio: the isolated ETH short's margin is in neither side.
    expect(hl.marginEquityUsd!).toBeLessThan(hl.equityUsd!);
    expect(l.margins[1]!.use[spotRow]! / ((hl.maintenanceUsd! / hl.marginEquityUsd!) * 100)).toBeCloseTo(1, 1);
    // The HL short's liquidation row: above it the column is past 100 %, below it not.
    const liq = s.positions.find((p) => p.def.source === 'hyperliquid' && p.def.underlying === 'BTC')!.liquidation!.venuePrice!;
    const rowOf = (price: number) => Math.round((l.prices[0]! - price) / l.spec.step);
    const hlRow = rowOf(liq);
    if (hlRow > 0 && hlRow < l.prices.length - 1) {
      expect(l.margins[1]!.use[hlRow - 1]!).toBeGreaterThan(100);
      expect(l.margins[1]!.use[hlRow + 1]!).toBeLessThan(100);
    }
    // Margin calls at the margin alert's warning (70 % by default), on the row that holds them.
    for (const m of l.markers.filter((k) => k.kind === 'margin-call')) {
      const column = l.margins.find((x) => m.label === `Margin call ${x.label} (70 %)`)!;
      expect(column.callAt).toBe(70);
      const r = rowOf(m.price);
      const above = r - 1 >= 0 ? column.use[r - 1]! : NaN;
      const below = r + 1 < l.prices.length ? column.use[r + 1]! : NaN;
      expect([above, below].some((u) => u >= 70) && [above, below].some((u) => u < 70), `${m.label} at ${m.price}: ${above} / ${below}`).toBe(true);
    }
  });

  it('counts PnL in coin when asked: premium-adjusted option deltas, collateral without delta, saved', async () => {
    expect(await engine.request('portfolio.numeraire', { numeraire: 'coin' })).toEqual({ ok: true, value: { ok: true } });
    await waitFor(() => latest?.numeraire === 'coin', 'coin numeraire');
    const s = snapshot();
    for (const row of s.positions.filter((x) => x.def.type === 'option' && x.def.settlement === 'inverse')) {
      if (row.def.type !== 'option') continue;
      const spot = s.totals.find((t) => t.underlying === row.def.underlying)!.spot;
      const g = positionRisk({ ...row.def, vol: row.vol!, forward: row.underlyingPrice }, { spot }, s.computedAt, undefined, 'coin');
      expect(row.greeks.deltaCoin).toBeCloseTo(g.deltaCoin, 9);
      // Premium-adjusted: the USD delta less the premium held, in coins.
      const usd = positionRisk({ ...row.def, vol: row.vol!, forward: row.underlyingPrice }, { spot }, s.computedAt);
      expect(row.greeks.deltaCoin).toBeCloseTo(usd.deltaCoin - row.greeks.valueUsd / spot, 9);
    }
    const btc = s.totals.find((t) => t.underlying === 'BTC')!;
    const rows = s.positions.filter((x) => x.def.underlying === 'BTC' && x.def.source !== 'what-if');
    expect(btc.greeks.deltaCoin).toBeCloseTo(rows.reduce((a, r) => a + r.greeks.deltaCoin, 0), 9);
    const saved = JSON.parse(await readFile(path.join(dataDir, 'portfolio.json'), 'utf8')) as { numeraire: string };
    expect(saved.numeraire).toBe('coin');
    expect((await engine.request('portfolio.numeraire', { numeraire: 'yen' })).ok).toBe(false);
    await engine.request('portfolio.numeraire', { numeraire: 'usd' });
    await waitFor(() => latest?.numeraire === 'usd', 'back to USD');
  });

  it('publishes a ladder per underlying that recomputes from its own inputs', async () => {
    await waitFor(() => ladders.length === 2, 'two ladders');
    const l = ladders.find((x) => x.spec.underlying === 'BTC')!;
    expect(l.prices.length).toBe(41);
    const r = await engine.request('portfolio.ladderInputs', { underlying: 'BTC', computedAt: l.computedAt });
    expect(r.ok).toBe(true);
    const inputs = (r as { value: LadderInputs }).value;
    const spot = inputs.spot;
    const base = inputs.positions.reduce((a, p) => a + positionRisk({ ...p, underlying: 'BTC' }, { spot }, inputs.computedAt).valueUsd, 0);
    for (const i of [0, 13, 20, 33, 40]) {
      const shift = { spot: l.prices[i]! / spot - 1, volPoints: 0, days: 0 };
      const v = inputs.positions.reduce((a, p) => a + positionRisk({ ...p, underlying: 'BTC' }, { spot }, inputs.computedAt, shift).valueUsd, 0);
      expect(l.columns.pnl[i]).toBeCloseTo(v - base, 6);
    }
    expect(l.markers.some((m) => m.kind === 'liquidation')).toBe(true);
  });

  it('imports CSV positions (bad rows reported, good ones kept) and saves them atomically', async () => {
    const csv = ['underlying,type,quantity,entry_price,instrument,kind,strike,expiry,iv_pct', 'BTC,perp,1.5,90000,,,,,', 'BTC,option,2,,,call,250000,2027-03-26,60', 'ETH,option,-3,0.01,,straddle,4000,2027-03-26,', 'BTC,perp,abc,1,,,,,'].join('\n');
    const r = await engine.request('portfolio.import', { csv, fileName: 'book.csv', replace: false });
    expect(r).toEqual({ ok: true, value: { loaded: 2, errors: [expect.objectContaining({ line: 4 }), expect.objectContaining({ line: 5 })] } });
    await waitFor(() => (latest?.positions.filter((p) => p.def.source === 'import').length ?? 0) === 2, 'imported rows');
    await waitFor(async () => (await readFile(path.join(dataDir, 'portfolio.json'), 'utf8').catch(() => '')).includes('250000'), 'saved file');
  });

  it('adds a what-if that changes the ladder and is never saved', async () => {
    const before = ladders.find((x) => x.spec.underlying === 'ETH')!;
    const r = await engine.request('portfolio.whatIf.add', { type: 'perp', underlying: 'ETH', quantity: 50 });
    expect(r.ok).toBe(true);
    await waitFor(() => (ladders.find((x) => x.spec.underlying === 'ETH')?.whatIfs ?? 0) === 1, 'what-if in the ladder');
    const after = ladders.find((x) => x.spec.underlying === 'ETH')!;
    const d = (l: LadderSnapshot): number => l.columns.deltaCoin[20]!;
    expect(d(after) - d(before)).toBeCloseTo(50, 0);
    // The payoff follows at once: 50 ETH long adds 50 × (price − spot) at the top of the range.
    const top = (l: LadderSnapshot): number => l.payoff.today[l.payoff.today.length - 1]! - l.payoff.today[0]!;
    const range = after.payoff.prices[after.payoff.prices.length - 1]! - after.payoff.prices[0]!;
    expect(top(after) - top(before)).toBeGreaterThan(0.9 * 50 * range);
    const saved = await readFile(path.join(dataDir, 'portfolio.json'), 'utf8');
    expect(saved).not.toContain('what-if');
  });
});

describe('a damaged settings file', () => {
  it('is reported and kept, and the engine starts from defaults', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'deltadesk-damaged-'));
    await writeFile(path.join(dir, 'portfolio.json'), '{"version":1,"hyperliquidAddresses":[');
    const e = new Engine({ mode: 'paper', hyperliquid: sim.endpoints, dataDir: dir, paperAddress: sim.endpoints.paperAddress });
    let snap: PortfolioSnapshot | null = null;
    e.addStreamSink((b) => {
      const f = decodeFrame(b);
      if (f.portfolio) snap = f.portfolio;
    });
    await e.start();
    try {
      await waitFor(() => (snap?.notices.length ?? 0) > 0, 'notice');
      expect(snap!.notices[0]).toMatch(/damaged \(not valid JSON/);
      expect(await readFile(path.join(dir, 'portfolio.json'), 'utf8')).toBe('{"version":1,"hyperliquidAddresses":[');
      const kept = snap!.notices[0]!.match(/kept as (\S+)\./)![1]!;
      expect(await readFile(kept, 'utf8')).toBe('{"version":1,"hyperliquidAddresses":[');
    } finally {
      e.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
