import { render, screen } from '@testing-library/react';
import { setTerminalApi } from '../../../renderer/src/bridge/terminal.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { HedgeOverlay } from '../../../renderer/src/features/hedge/HedgeOverlay.tsx';
import { applyHedgeDrafts, useHedgeStore } from '../../../renderer/src/stores/hedge-store.ts';
import { useOrdersStore } from '../../../renderer/src/stores/orders-store.ts';
import { usePortfolioStore } from '../../../renderer/src/stores/portfolio-store.ts';
import { useVaultStore } from '../../../renderer/src/stores/vault-store.ts';
import type { HedgePlan } from '../../../shared/domain/hedge.ts';

/*
 * The hedge overlay says before sending what main's guard would refuse: a hedge that grows the
 * venue position past the budget's limit for the underlying. A hedge that shrinks it says nothing.
 */
const ACCOUNT = '0x00000000000000000000000000000000000000aa';
const plan = (side: 'buy' | 'sell', size: number): HedgePlan => ({ ok: true, underlying: 'BTC', venue: 'hyperliquid', instrument: 'BTC', side, size, clipped: false, limitPrice: 89_000, avgPrice: 90_000, mark: 90_000, slippageBps: 0.5, feeUsd: 40, notionalUsd: size * 90_000, deltaBefore: 3, deltaAfter: 3 - size, target: 0, marginAfterUsd: 1_000, liqBefore: null, liqAfter: 150_000 });

function show(p: HedgePlan): void {
  useVaultStore.setState({ status: { budget: { valid: true, limits: { maxOrderNotionalUsd: 1e6, maxPositionUsd: { '*': 1e6, BTC: 100_000 }, maxDailyHedgeNotionalUsd: 1e6, maxDailyCollateralUsd: 0 } }, usage: { windowHours: 24, hedgeNotionalUsd: 0, collateralUsd: 0 } } as never });
  usePortfolioStore.setState({ snapshot: { positions: [{ def: { source: 'hyperliquid', instrument: 'BTC-PERP', account: ACCOUNT, quantity: -0.5, underlying: 'BTC', type: 'perp' } }] } as never });
  useOrdersStore.setState({ snapshot: { orders: [], fills: [], gates: [{ venue: 'hyperliquid', ready: true, reason: 'ready', account: ACCOUNT }] } });
  useHedgeStore.setState({ phase: 'shown', fraction: 1, preview: { id: 'hedge-x', createdAt: Date.now(), expiresAt: Date.now() + 8_000, result: p, budgetLeftUsd: null } });
}

afterEach(() => useHedgeStore.getState().dismiss());

describe('the hedge overlay', () => {
  it('warns when main would refuse the hedge for the position limit', () => {
    show(plan('sell', 2));
    render(<HedgeOverlay />);
    expect(screen.getByRole('alert').textContent).toMatch(/^main will refuse this: the BTC position on Hyperliquid after it would be \$225.0K, over the budget's \$100.0K limit/);
  });

  it('says nothing when the hedge shrinks the position, even one over the limit', () => {
    show(plan('buy', 0.4));
    render(<HedgeOverlay />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('dialog').textContent).toMatch(/Press H again to send/);
  });
});

describe('Esc while the engine is still answering', () => {
  it('a preview that arrives after Esc does not open the overlay again', async () => {
    let answer: (v: unknown) => void = () => undefined;
    setTerminalApi({ request: () => new Promise((r) => (answer = (v) => r({ ok: true, value: v }))) as never, onStream: () => () => undefined });
    const pressed = useHedgeStore.getState().press('BTC', 1);
    expect(useHedgeStore.getState().phase).toBe('asking');
    useHedgeStore.getState().dismiss();
    answer({ id: 'hedge-late', createdAt: Date.now(), expiresAt: Date.now() + 8_000, result: plan('sell', 1), budgetLeftUsd: null });
    await pressed;
    expect(useHedgeStore.getState().phase).toBe('idle');
    setTerminalApi(null);
  });
});

describe('the hedge key with a streamed draft', () => {
  it('shows the draft before the engine answers, cannot send it, and gives way to the kept plan', async () => {
    let answer: (v: unknown) => void = () => undefined;
    const asked: string[] = [];
    setTerminalApi({ request: ((name: string) => (asked.push(name), new Promise((r) => (answer = (v) => r({ ok: true, value: v }))))) as never, onStream: () => () => undefined });
    show(plan('buy', 0.4));
    useHedgeStore.getState().dismiss();
    applyHedgeDrafts([{ underlying: 'BTC', fraction: 1, at: Date.now(), result: plan('sell', 1.25) }]);
    render(<HedgeOverlay />);
    const pressed = useHedgeStore.getState().press('BTC', 1);
    // Before any answer: the draft's order is on screen, with no way to send it yet.
    await screen.findByRole('dialog');
    expect(screen.getByRole('dialog').textContent).toMatch(/Sell 1\.25000 BTC BTC-PERP/);
    expect(screen.getByRole('dialog').textContent).toMatch(/Checking the plan against the live book/);
    expect(screen.getByRole('dialog').textContent).not.toMatch(/again to send/);
    void useHedgeStore.getState().press('BTC', 1);
    expect(asked).toEqual(['hedge.preview']);
    answer({ id: 'hedge-kept', createdAt: Date.now(), expiresAt: Date.now() + 8_000, result: plan('sell', 1.2), budgetLeftUsd: null });
    await pressed;
    await expect.poll(() => screen.getByRole('dialog').textContent).toMatch(/Sell 1\.20000 BTC BTC-PERP/);
    expect(screen.getByRole('dialog').textContent).toMatch(/Press H again to send/);
    setTerminalApi(null);
  });

  it('a draft from more than a second ago is not shown: the overlay plans and waits', async () => {
    setTerminalApi({ request: () => new Promise(() => undefined) as never, onStream: () => () => undefined });
    applyHedgeDrafts([{ underlying: 'BTC', fraction: 1, at: Date.now(), result: plan('sell', 1.25) }], performance.now() - 1_500);
    render(<HedgeOverlay />);
    void useHedgeStore.getState().press('BTC', 1);
    expect(useHedgeStore.getState().draft).toBeNull();
    await screen.findByRole('dialog');
    expect(screen.getByRole('dialog').textContent).toMatch(/Planning…/);
    expect(screen.getByRole('dialog').textContent).not.toMatch(/Sell/);
    setTerminalApi(null);
  });
});
