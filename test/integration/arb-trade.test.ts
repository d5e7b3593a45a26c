import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import type { ArbPreview, ArbRun } from '../../shared/contract/arb-schemas.ts';
import { mispricingKey, type Mispricing, type OptionContract } from '../../shared/domain/options.ts';
import { asker, deriveFault as deriveFaultOn, startArbRig } from '../support/arb-rig.ts';
import { until, type TradingRig } from '../support/trading-rig.ts';

/*
 * A cross-venue edge traded as one combination through the engine, on both simulators: previewed
 * by its key, sent by id (the Derive leg first, then Deribit for what filled), the same id sent
 * twice is one trade; when Deribit refuses the second leg, the Derive leg is left open, said so at
 * once, and the unwind closes it on Derive.
 */
let rig: TradingRig;
let engine: Engine;
let target: OptionContract;
let call: ReturnType<typeof asker>;

beforeAll(async () => {
  ({ rig, engine, target: target } = await startArbRig(97, 'dd-arb-'));
  call = asker(engine);
}, 40_000);
afterAll(() => rig.close());

const deriveFault = (command: Record<string, unknown>): Promise<void> => deriveFaultOn(rig, command);
const edge = async (): Promise<Mispricing> => {
  await until('the cross-venue edge listed', () => (engine.options.mispricings.get('BTC') ?? []).some((m) => m.kind === 'cross-venue' && m.legs[0]?.contract === target.name), 10_000);
  return engine.options.mispricings.get('BTC')!.find((m) => m.kind === 'cross-venue' && m.legs[0]?.contract === target.name)!;
};
const derivePosition = (): number => {
  const owner = getAddress(engine.orders.accountOf('derive')!);
  const sub = rig.derive!.trading.subaccountsOf(owner)[0]!;
  return Number(rig.derive!.trading.positions(sub, owner).find((p) => p.instrument_name === target.peer!.name)?.amount ?? 0);
};

describe('a cross-venue edge traded as one combination', () => {
  it('previews both legs at the touches, the Derive leg first, with fees, the trade’s delta and each venue’s cash', async () => {
    // The preview prices the live touches; the listing is the last rescan's, and a touch can move
    // between rescans (the simulator steps every 250 ms). Take a preview that agrees with the
    // listing around it; after 20 tries, they must still agree within one tick of each venue.
    let m = await edge();
    let p = await call<ArbPreview>('arb.preview', { key: mispricingKey(m), size: 0.2 });
    const agrees = (q: ArbPreview, listed: Mispricing): boolean => q.result.ok && Math.abs(q.result.edgeUsd - listed.edge * q.result.size) < 1e-6;
    for (let attempt = 0; attempt < 20 && !agrees(p, m); attempt++) {
      m = await edge();
      p = await call<ArbPreview>('arb.preview', { key: mispricingKey(m), size: 0.2 });
    }
    expect(p.result.ok, p.result.ok ? '' : p.result.reason).toBe(true);
    if (!p.result.ok) return;
    const [first, second] = p.result.legs;
    expect([first!.venue, first!.side, first!.instrument]).toEqual(['derive', 'sell', target.peer!.name]);
    expect([second!.venue, second!.side, second!.instrument]).toEqual(['deribit', 'buy', target.name]);
    // 0.2 asked, or less where the touches carry less; on Deribit's 0.1 step either way.
    const size = p.result.size;
    expect(size).toBeLessThanOrEqual(0.2);
    expect(size).toBeGreaterThan(0);
    expect(Math.round(size * 10) / 10).toBe(size);
    expect(p.result.legs.every((l) => l.size === size)).toBe(true);
    // The same contract bought and sold: the trade carries no delta to speak of.
    expect(Math.abs(p.result.deltaCoin)).toBeLessThan(1e-9);
    // Per contract, within a Deribit tick in USD plus a Derive tick of each other when no try agreed.
    const tickUsd = target.tick * engine.options.board.get(target.row, 'index') + 1;
    expect(Math.abs(p.result.edgeUsd / size - m.edge)).toBeLessThanOrEqual(agrees(p, m) ? 1e-6 : tickUsd);
    expect(p.result.cashUsd.derive).toBeGreaterThan(0);
    expect(p.result.cashUsd.deribit).toBeLessThan(0);
    expect(p.result.cashUsd.derive! + p.result.cashUsd.deribit!).toBeCloseTo(p.result.edgeUsd, 6);
    // Margin per venue: the short on Derive asks 13–15 % of the index (out of the money less), the long on Deribit nothing.
    const idx = engine.options.board.get(target.row, 'index');
    expect(p.result.marginUsd.derive! / (idx * size)).toBeGreaterThanOrEqual(0.13 - 1e-9);
    expect(p.result.marginUsd.derive! / (idx * size)).toBeLessThanOrEqual(0.15 + 1e-9);
    expect(p.result.marginUsd.deribit).toBe(0);
    expect(p.result.sizedBy).toBe(size === 0.2 ? 'request' : 'quotes');
    // The budget's order limit at 0.15 BTC of underlying: sized down to Deribit's 0.1 step, said so.
    const index = engine.options.board.get(target.row, 'index');
    const capped = await call<ArbPreview>('arb.preview', { key: mispricingKey(m), size: null, maxNotionalUsd: 0.15 * index });
    expect(capped.result.ok && capped.result.size).toBe(0.1);
    // Where the touches carried the 0.2 asked above, it is the budget that set the size.
    if (size === 0.2) expect(capped.result.ok && capped.result.sizedBy).toBe('budget');
    expect(capped.result.ok && capped.result.legs.every((l) => l.notionalUsd <= 0.15 * index)).toBe(true);
  });

  it('sends both legs once, even when the same id is sent twice at once', async () => {
    const before = derivePosition();
    const p = await call<ArbPreview>('arb.preview', { key: mispricingKey(await edge()), size: 0.2 });
    const size = p.result.ok ? p.result.size : NaN;
    const [a, b] = await Promise.all([call<ArbRun>('arb.send', { id: p.id }), call<ArbRun>('arb.send', { id: p.id })]);
    expect(a.state, a.message).toBe('done');
    expect(b.id).toBe(a.id);
    expect(a.legs.map((l) => [l.plan.venue, l.state, l.filled])).toEqual([
      ['derive', 'filled', size],
      ['deribit', 'filled', size],
    ]);
    expect(derivePosition()).toBeCloseTo(before - size, 9);
    const deribitOrders = engine.orders.snapshot().orders.filter((o) => o.intentId.startsWith(p.id));
    expect(deribitOrders).toHaveLength(2);
  });

  it('a refused second leg leaves the first open, says so, and the unwind closes it on its venue', async () => {
    const before = derivePosition();
    const p = await call<ArbPreview>('arb.preview', { key: mispricingKey(await edge()), size: 0.2 });
    const size = p.result.ok ? p.result.size : NaN;
    rig.deribit!.apply({ fault: 'reject', count: 1 });
    const run = await call<ArbRun>('arb.send', { id: p.id });
    expect(run.state).toBe('legged');
    expect(run.message).toMatch(new RegExp(`second leg \\(buy BTC-\\S+ on Deribit\\) filled 0 of ${size}: .*not_enough_funds.*You are short ${size} BTC-\\d{8}-\\d+-C on Derive without its hedge`));
    expect(run.residuals).toEqual([{ venue: 'derive', instrument: target.peer!.name, side: 'buy', size }]);
    expect(derivePosition()).toBeCloseTo(before - size, 9);
    // Derive quotes fairly again before the trader unwinds.
    await deriveFault({ fault: 'clear' });
    const unwound = await call<ArbRun>('arb.unwind', { id: p.id });
    expect(unwound.state, unwound.message).toBe('unwound');
    expect(unwound.residuals).toEqual([]);
    expect(derivePosition()).toBeCloseTo(before, 9);
    await expect(call('arb.unwind', { id: p.id })).rejects.toThrow(/nothing to unwind: the trade is unwound/);
  });

  it('refuses an expired preview and a finding that is gone', async () => {
    // Derive quotes fairly again (cleared above): the finding leaves the list.
    await until('the edge gone from the list', () => !(engine.options.mispricings.get('BTC') ?? []).some((m) => m.kind === 'cross-venue' && m.legs.some((l) => l.contract === target.name)), 10_000);
    const gone = await call<ArbPreview>('arb.preview', { key: `cross-venue|buy:deribit:${target.name},sell:derive:${target.peer!.name}`, size: 0.2 });
    expect(gone.result.ok ? 'planned' : gone.result.reason).toMatch(/the edge is gone/);
    await expect(call('arb.send', { id: gone.id })).rejects.toThrow(/edge is gone/);
    await expect(call('arb.send', { id: 'arb-nosuch' })).rejects.toThrow(/no such preview/);
  });
});
