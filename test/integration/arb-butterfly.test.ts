import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import type { ArbPreview, ArbRun } from '../../shared/contract/arb-schemas.ts';
import { mispricingKey, type Mispricing, type OptionContract } from '../../shared/domain/options.ts';
import { asker, deriveFault as deriveFaultOn, startArbRig } from '../support/arb-rig.ts';
import { until, type TradingRig } from '../support/trading-rig.ts';

/*
 * A butterfly from the list, traded as one combination across both venues: Derive's bid for the
 * body is misquoted 25 vol points rich, so selling it there and buying λ and 1 − λ of the strikes
 * either side (at the best offer on either venue) costs less than nothing. Three legs, the body
 * first, each wing its share of what the body filled, on its venue's step; a wing refused leaves
 * the body open, said at once, and the unwind buys it back on Derive.
 */
let rig: TradingRig;
let engine: Engine;
let body: OptionContract;
let call: ReturnType<typeof asker>;

beforeAll(async () => {
  ({ rig, engine, target: body } = await startArbRig(98, 'dd-fly-'));
  call = asker(engine);
}, 40_000);
afterAll(() => rig.close());

const deriveFault = (command: Record<string, unknown>): Promise<void> => deriveFaultOn(rig, command);
const isFly = (m: Mispricing): boolean => m.kind === 'butterfly' && m.legs[0]?.contract === body.name && m.legs[0].venue === 'derive';
const fly = async (): Promise<Mispricing> => {
  await until('the butterfly listed', () => (engine.options.mispricings.get('BTC') ?? []).some(isFly), 10_000);
  return engine.options.mispricings.get('BTC')!.find(isFly)!;
};
const onDerive = (name: string): number => {
  const owner = getAddress(engine.orders.accountOf('derive')!);
  const sub = rig.derive!.trading.subaccountsOf(owner)[0]!;
  return Number(rig.derive!.trading.positions(sub, owner).find((p) => p.instrument_name === name)?.amount ?? 0);
};
/** A preview that plans (the touches move between rescans: asked again until one does). */
async function preview(size: number): Promise<ArbPreview & { result: { ok: true } }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const p = await call<ArbPreview>('arb.preview', { key: mispricingKey(await fly()), size });
    if (p.result.ok) return p as ArbPreview & { result: { ok: true } };
  }
  throw new Error('no butterfly preview planned in 20 tries');
}

describe('a butterfly traded from the list', () => {
  it('previews the body first and each wing at its ratio, every leg on its venue’s step, net of three fees', async () => {
    const m = await fly();
    const lambda = m.legs[1]!.ratio;
    expect(m.legs.map((l) => l.side)).toEqual(['sell', 'buy', 'buy']);
    expect(lambda + m.legs[2]!.ratio).toBeCloseTo(1, 12);
    const p = await preview(1);
    const [b, w1, w3] = p.result.legs;
    expect([b!.venue, b!.side, b!.instrument]).toEqual(['derive', 'sell', body.peer!.name]);
    expect([w1!.side, w3!.side]).toEqual(['buy', 'buy']);
    expect(w1!.size).toBeCloseTo(p.result.size * lambda, 9);
    expect(w3!.size).toBeCloseTo(p.result.size * (1 - lambda), 9);
    // Each leg a whole number of its venue's steps (Deribit 0.1, Derive 0.01).
    for (const l of p.result.legs) {
      const step = l.venue === 'deribit' ? 0.1 : 0.01;
      expect(Math.abs(l.size / step - Math.round(l.size / step))).toBeLessThan(1e-6);
    }
    expect(p.result.feesUsd).toBeCloseTo(p.result.legs.reduce((s, l) => s + l.feeUsd, 0), 9);
    expect(p.result.edgeUsd).toBeGreaterThan(0);
  });

  it('sends the three legs, the wings for their share of what the body filled', async () => {
    const before = onDerive(body.peer!.name);
    const p = await preview(0.4);
    const run = await call<ArbRun>('arb.send', { id: p.id });
    expect(run.state, run.message).toBe('done');
    expect(run.message).toMatch(/^all 3 legs filled: /);
    expect(run.residuals).toEqual([]);
    expect(run.legs.map((l) => [l.plan.side, l.state])).toEqual([
      ['sell', 'filled'],
      ['buy', 'filled'],
      ['buy', 'filled'],
    ]);
    const filled = run.legs[0]!.filled;
    for (const l of run.legs.slice(1)) expect(l.filled).toBeCloseTo((l.plan.size * filled) / run.legs[0]!.plan.size, 6);
    expect(onDerive(body.peer!.name)).toBeCloseTo(before - filled, 9);
  });

  it('a wing refused: the rest is not sent, the body is said to be open, and the unwind buys it back on Derive', async () => {
    const p = await preview(0.4);
    const [, w1] = p.result.legs;
    if (w1!.venue !== 'deribit') return expect.fail(`the first wing is on ${w1!.venue}; this test refuses it on Deribit`);
    const before = onDerive(body.peer!.name);
    rig.deribit!.apply({ fault: 'reject', count: 1 });
    const run = await call<ArbRun>('arb.send', { id: p.id });
    expect(run.state).toBe('legged');
    expect(run.legs.map((l) => l.state)).toEqual(['filled', 'rejected', 'created']);
    const sold = run.legs[0]!.filled;
    expect(run.message).toMatch(new RegExp(`^the second leg \\(buy ${w1!.instrument} on Deribit\\) filled 0 of [\\d.]+: .*You are short ${sold} ${body.peer!.name} on Derive without its hedge$`));
    expect(run.residuals).toEqual([{ venue: 'derive', instrument: body.peer!.name, side: 'buy', size: sold }]);
    await deriveFault({ fault: 'clear' });
    const unwound = await call<ArbRun>('arb.unwind', { id: p.id });
    expect(unwound.state, unwound.message).toBe('unwound');
    expect(unwound.residuals).toEqual([]);
    expect(onDerive(body.peer!.name)).toBeCloseTo(before, 9);
  });
});
