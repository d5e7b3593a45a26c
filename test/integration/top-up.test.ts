import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import type { HyperliquidExecution } from '../../electron/venues/hyperliquid/execution.ts';
import type { AlertsSnapshot } from '../../shared/domain/alerts.ts';
import type { TopUpStatus } from '../../shared/domain/top-up.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * Collateral top-ups through the whole engine against the Hyperliquid simulator, signed by the
 * real vault and budget guard (issue "Monitoring", items 5 and 6): an isolated short near
 * liquidation; dry-run journals what it would add and moves nothing; live with no collateral in
 * the approved budget fails loudly; with a budget, the top-up lands, and the account read after it
 * shows liquidation at the target; a locked vault fails loudly too. Never silence.
 */
let rig: TradingRig;
let engine: Engine;
let seq = 0;
const ask = async <T>(name: string, payload: unknown): Promise<T> => {
  const r = await engine.request(name, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};
const eth = () => engine.portfolio.riskNow().positions.find((p) => p.def.source === 'hyperliquid' && p.def.instrument === 'ETH-PERP' && p.def.quantity !== 0);
const distance = () => Math.abs(eth()?.liquidation?.distancePct ?? NaN) * 100;
const margin = () => (eth()?.def as { perp?: { equity: number } } | undefined)?.perp?.equity ?? NaN;
const status = async () => (await ask<TopUpStatus[]>('alerts.topUps', {}))[0]!;
const failures = async () => (await ask<AlertsSnapshot>('alerts.list', {})).active.filter((a) => a.subject.startsWith('event:top-up:'));
const budget = (collateral: number) => rig.host.vault.setBudget({ maxOrderNotionalUsd: 1e6, maxPositionUsd: { '*': 1e7 }, maxDailyHedgeNotionalUsd: 1e9, maxDailyCollateralUsd: collateral }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
let rule: { position: string; mode: string; trigger: number; target: number; maxUsd: number; minIntervalMs: number };

beforeAll(async () => {
  rig = await startTradingRig(95, 'dd-top-up-');
  engine = rig.makeEngine({ monitorEvaluateMs: 100, topUpVerifyMs: 6_000 });
  void engine.start();
  await until('markets and the account', () => engine.state.books.has('hyperliquid:ETH-PERP') && engine.orders.accountOf('hyperliquid') !== null, 10_000);
  const execution = engine.venues.having('execution').find((v) => v.id === 'hyperliquid')!.execution as HyperliquidExecution;
  // 10× isolated: the venue liquidates some 8 % above the entry of a short.
  await execution.updateLeverage('ETH', 10, false);
  await ask('orders.place', { intentId: `top-up-${++seq}`, venue: 'hyperliquid', instrument: 'ETH', side: 'sell', size: 5, limit: null, tif: 'Ioc' });

  await until('the isolated short with the venue’s liquidation price', () => Number.isFinite(distance()) && (eth()?.def as { perp?: { leverage: { type: string } } }).perp?.leverage.type === 'isolated', 10_000);
  rule = { position: eth()!.def.id, mode: 'dry-run', trigger: Math.ceil(distance()) + 1, target: 15, maxUsd: 5_000, minIntervalMs: 5_000 };
}, 30_000);
afterAll(() => rig.close());

describe('collateral top-ups through the engine', () => {
  it('refuses a rule whose target is not past its trigger, in words', async () => {
    const r = await engine.request('alerts.topUp', { ...rule, target: rule.trigger - 1 });
    expect(!r.ok && r.error.message).toContain('the target must be farther from liquidation than the trigger');
  });

  it('dry-run journals what it would add and moves nothing', async () => {
    const before = margin();
    await ask('alerts.topUp', rule);
    await until('a dry-run decision', async () => (await status()).last?.what === 'dry-run', 5_000);
    expect((await status()).last!.detail).toMatch(/^would ETH-PERP: \d+\.\d % from liquidation, under the \d+\.\d % trigger; add \$[\d,.]+K? of margin for 15\.0 %$/);
    await new Promise((r) => setTimeout(r, 500));
    expect(margin()).toBeCloseTo(before, 0);
    expect(engine.journal!.read({ kind: 'top-up' }).some((r) => (r.body as { what: string }).what === 'dry-run')).toBe(true);
  });

  it('live with no collateral in the approved budget fails loudly with main’s reason', async () => {
    await ask('alerts.topUp', { ...rule, mode: 'live' });
    await until('a failure alert', async () => (await failures()).length > 0, 8_000);
    const [a] = await failures();
    expect(a).toMatchObject({ level: 'critical', rule: 'automation' });
    expect(a!.message).toMatch(/^Top-up of \$[\d,.]+K? on ETH-PERP failed: .*collateral moved in the last 24 h would be/);
    expect((await status()).state).toBe('paused');
  }, 15_000);

  it('with a budget, the top-up lands and the account read after it shows liquidation at the target', async () => {
    await budget(20_000);
    const before = margin();
    await ask('alerts.topUp', { ...rule, mode: 'live' });
    await until('verified', async () => (await status()).last?.what === 'verified', 20_000);
    expect(margin()).toBeGreaterThan(before + 100);
    expect(distance()).toBeGreaterThan(14.5);
    const s = await status();
    expect(s.spent24hUsd).toBeGreaterThan(100);
    expect(s.last!.detail).toMatch(/^ETH-PERP: liquidation now \d+\.\d % away \(was \d+\.\d %\)$/);
    const journaled = engine.journal!.read({ kind: 'top-up' }).map((r) => (r.body as { what: string }).what);
    expect(journaled, journaled.join()).toEqual(expect.arrayContaining(['configured', 'dry-run', 'failed', 'sent', 'verified']));
  }, 30_000);

  it('after a restart the 24 h spend is still counted, so the daily cap holds', async () => {
    const before = await status();
    engine.stop();
    // A new engine on the same data folder, as after quitting and starting the app again.
    engine = rig.makeEngine({ monitorEvaluateMs: 100, topUpVerifyMs: 6_000 });
    void engine.start();
    await until('the rule restored', async () => ((await ask<TopUpStatus[]>('alerts.topUps', {}))[0]?.spent24hUsd ?? 0) > 0, 10_000);
    expect((await status()).spent24hUsd).toBeCloseTo(before.spent24hUsd, 2);
    await until('markets and the account', () => engine.state.books.has('hyperliquid:ETH-PERP') && engine.orders.accountOf('hyperliquid') !== null, 10_000);
  }, 20_000);

  it('a locked vault is a loud failure too, never a silent skip', async () => {
    for (const a of await failures()) await ask('alerts.ack', { key: a.key });
    rig.host.lockNow('test: the trader locked the vault');
    // Tighten the rule so the position is under the trigger again.
    await ask('alerts.topUp', { ...rule, mode: 'live', trigger: Math.ceil(distance()) + 2, target: Math.ceil(distance()) + 8 });
    await until('a failure alert', async () => (await failures()).length > 0, 10_000);
    expect((await failures())[0]!.message).toMatch(/failed: .*lock/i);
  }, 20_000);
});
