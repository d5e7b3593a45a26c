import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTerminalApi } from '../../../renderer/src/bridge/terminal.ts';
import { OrdersPanel } from '../../../renderer/src/features/orders/OrdersPanel.tsx';
import { handleKey } from '../../../renderer/src/hotkeys/keymap.ts';
import { CANCEL_ALL_ARM_MS, useOrdersStore } from '../../../renderer/src/stores/orders-store.ts';
import { useViewStore } from '../../../renderer/src/stores/view-store.ts';
import type { OrderRow, OrdersSnapshot } from '../../../shared/domain/orders.ts';
import { resolveKeymap } from '../../../shared/keymap/keymap.ts';

/*
 * The orders panel and its keys, against a fake host that records what the screen asked for:
 * N selects, Delete cancels the highlighted order, ⇧X arms cancel-all and a second ⇧X does it,
 * a closed venue gate is shown with its reason.
 */
const row = (i: number, over: Partial<OrderRow> = {}): OrderRow => ({
  venue: 'hyperliquid',
  intentId: `intent-000${i}`,
  clientId: `0x${String(i).padStart(32, '0')}`,
  venueOrderId: String(90_000_000 + i),
  instrument: 'BTC',
  side: i % 2 ? 'sell' : 'buy',
  size: 0.001 * i,
  filled: 0,
  price: 96_000 + i * 10,
  avgPrice: 0,
  tif: 'Gtc',
  reduceOnly: false,
  purpose: 'manual',
  state: 'accepted',
  reason: null,
  updatedAt: Date.UTC(2026, 11, 1, 12, 0, i),
  ...over,
});
const snapshot = (orders: OrderRow[], gates: OrdersSnapshot['gates'] = [{ venue: 'hyperliquid', ready: true, reason: 'ready' }]): OrdersSnapshot => ({ orders, fills: [], gates });
let calls: { name: string; payload: unknown }[] = [];
const key = (k: string, shiftKey = false) => act(() => void handleKey({ key: k, shiftKey, ctrlKey: false, metaKey: false, altKey: false, target: null }));

beforeEach(() => {
  calls = [];
  setTerminalApi({
    request: (name: string, payload: unknown) => {
      calls.push({ name, payload });
      if (name === 'orders.cancel') return Promise.resolve({ ok: true, value: { ...row(2), state: 'cancelled' } });
      if (name === 'orders.cancelAll') return Promise.resolve({ ok: true, value: { cancelled: 3, failed: [] } });
      return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not in this test' } });
    },
    onStream: () => () => undefined,
  } as never);
  useViewStore.getState().setWorkspace('market');
  useOrdersStore.setState({ snapshot: snapshot([]), selected: null, cancelAllArmedUntil: 0, notice: null });
});
afterEach(() => setTerminalApi(null));

describe('the orders panel', () => {
  it('lists open orders; N moves the highlight; Delete cancels the highlighted one', async () => {
    render(<OrdersPanel />);
    act(() => useOrdersStore.getState().applyFrame(snapshot([row(1), row(2), row(3), row(4, { state: 'filled', filled: 0.004, avgPrice: 96_041 })])));
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(4); // header + 3 open
    expect(screen.getByRole('tab', { name: 'Open 3' })).toBeTruthy();
    expect(useOrdersStore.getState().selected).toBe('intent-0001');
    key('n');
    key('n');
    expect(useOrdersStore.getState().selected).toBe('intent-0003');
    key('N', true);
    expect(useOrdersStore.getState().selected).toBe('intent-0002');
    key('Delete');
    await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(calls).toEqual([{ name: 'orders.cancel', payload: { intentId: 'intent-0002' } }]);
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'cancelled buy 0.002 BTC @ 96020');
  });

  it('cancel all needs a second press within its window; a lone press sends nothing', async () => {
    render(<OrdersPanel />);
    act(() => useOrdersStore.getState().applyFrame(snapshot([row(1), row(2), row(3)])));
    key('X', true);
    expect(calls).toEqual([]);
    expect(screen.getByRole('button', { name: 'Confirm: cancel 3' })).toBeTruthy();
    key('X', true);
    await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(calls).toEqual([{ name: 'orders.cancelAll', payload: { venue: null } }]);
    // Armed, then left: the window passes and the next press only arms again.
    calls = [];
    const t = Date.now();
    await act(() => useOrdersStore.getState().cancelAll(t));
    await act(() => useOrdersStore.getState().cancelAll(t + CANCEL_ALL_ARM_MS + 1));
    expect(calls).toEqual([]);
  });

  it('a venue that cannot take orders says so, with its reason', () => {
    render(<OrdersPanel />);
    act(() => useOrdersStore.getState().applyFrame(snapshot([], [{ venue: 'hyperliquid', ready: false, reason: 'reconciling with the venue after a reconnect' }])));
    expect(screen.getByText('Hyperliquid: no new orders — reconciling with the venue after a reconnect')).toBeTruthy();
  });

  it("the orders keys work on Perps and Portfolio but not in Vault, and cannot be bound over those screens' keys", () => {
    act(() => useOrdersStore.getState().applyFrame(snapshot([row(1), row(2)])));
    useViewStore.getState().setWorkspace('vault');
    key('n');
    expect(useOrdersStore.getState().selected).toBe('intent-0001');
    useViewStore.getState().setWorkspace('portfolio');
    key('n');
    expect(useOrdersStore.getState().selected).toBe('intent-0002');
    const clash = resolveKeymap({ 'orders.next': ['C'] });
    expect(clash.errors).toEqual(['keymap: orders.next: "C" is already portfolio.centre']);
    expect(clash.keysOf.get('orders.next')).toEqual(['N']);
  });
});
