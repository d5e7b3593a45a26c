import { render, screen } from '@testing-library/react';
import { setTerminalApi } from '../../../renderer/src/bridge/terminal.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { HedgeOverlay } from '../../../renderer/src/features/hedge/HedgeOverlay.tsx';
import { useHedgeStore } from '../../../renderer/src/stores/hedge-store.ts';
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
