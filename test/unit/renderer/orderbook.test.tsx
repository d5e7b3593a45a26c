import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTerminalApi } from '../../../renderer/src/bridge/terminal.ts';
import type { TerminalApi } from '../../../shared/contract/terminal-api.ts';
import { OrderBook } from '../../../renderer/src/features/orderbook/OrderBook.tsx';
import { handleKey } from '../../../renderer/src/hotkeys/keymap.ts';
import { useMarketStore } from '../../../renderer/src/stores/market-store.ts';
import { useViewStore } from '../../../renderer/src/stores/view-store.ts';
import type { Instrument } from '../../../shared/domain/instruments.ts';
import { packBook } from '../../../shared/stream/packed-book.ts';

const btc: Instrument = {
  id: 'hyperliquid:BTC-PERP',
  venue: 'hyperliquid',
  kind: 'perp',
  venueSymbol: 'BTC',
  symbol: 'BTC-PERP',
  base: 'BTC',
  quote: 'USD',
  sizeDecimals: 5,
  maxPriceDecimals: 1,
  priceSigFigs: 5,
  maxLeverage: 40,
};
const eth: Instrument = { ...btc, id: 'hyperliquid:ETH-PERP', venueSymbol: 'ETH', symbol: 'ETH-PERP', base: 'ETH', sizeDecimals: 4, maxPriceDecimals: 2 };

function setBook(bidPx: number[], askPx: number[], size = 0.5) {
  const levels = packBook(
    bidPx.map((price) => ({ price, size, orders: 2 })),
    askPx.map((price) => ({ price, size, orders: 2 })),
  );
  act(() => {
    useMarketStore.getState().applyFrame({
      books: new Map([[btc.id, { instrumentId: btc.id, time: Date.now(), receivedAt: Date.now(), levels }]]),
      groupedBook: null,
      mids: {},
      trades: [],
      venues: null,
      decodeErrors: 0,
      lastDecodeError: null,
    });
  });
}

const requests: { name: string; payload: unknown }[] = [];
const api: TerminalApi = {
  request: (name, payload) => {
    requests.push({ name, payload });
    return Promise.resolve({ ok: true, value: { grouped: true } }) as never;
  },
  onStream: () => () => undefined,
};

/** A book the venue grouped at `step`, as the engine streams it for the book in view. */
function setGroupedBook(step: number, bidPx: number[], askPx: number[], size = 3) {
  const levels = packBook(
    bidPx.map((price) => ({ price, size, orders: 9 })),
    askPx.map((price) => ({ price, size, orders: 9 })),
  );
  act(() => {
    useMarketStore.getState().applyFrame({ books: new Map(), groupedBook: { instrumentId: btc.id, time: Date.now(), receivedAt: Date.now(), levels, step }, mids: {}, trades: [], venues: null, decodeErrors: 0, lastDecodeError: null });
  });
}

afterEach(() => setTerminalApi(null));

beforeEach(() => {
  // jsdom has no Web Animations; a level's size flash is only drawn.
  if (!('animate' in Element.prototype)) Object.defineProperty(Element.prototype, 'animate', { value: () => ({}), configurable: true });
  requests.length = 0;
  setTerminalApi(api);
  useViewStore.setState({ grouping: 1, sizeUnit: 'coin', selectedId: btc.id, timeframe: '1m' });
  useMarketStore.setState({ books: {}, groupedBook: null, instruments: [btc, eth] });
});

describe('order book panel', () => {
  it('waits for data, then shows asks above the spread and bids below with running totals', () => {
    render(<OrderBook instrument={btc} />);
    expect(screen.getByText(/Waiting for BTC-PERP book/)).toBeTruthy();
    setBook([97000, 96999, 96998], [97002, 97003]);
    const bids = within(screen.getByTestId('bids')).getAllByText(/^96,99|^97,000/);
    expect(bids.map((b) => b.textContent)).toEqual(['97,000', '96,999', '96,998']);
    const askPrices = [...screen.getByTestId('asks').querySelectorAll('.price')].map((e) => e.textContent);
    expect(askPrices).toEqual(['97,003', '97,002']);
    expect(screen.getByTestId('spread').textContent).toMatch(/97,001\.0.*Spread 2 · 0\.21 bp/);
    const totals = [...screen.getByTestId('bids').querySelectorAll('.total')].map((e) => e.textContent);
    expect(totals).toEqual(['0.500', '1.000', '1.500']);
  });

  it('switches sizes to USD and groups prices by tick multiples', () => {
    render(<OrderBook instrument={btc} />);
    setBook([97000, 96999, 96991], [97002]);
    fireEvent.click(screen.getByRole('button', { name: 'Size unit' }));
    expect(screen.getByText('Size (USD)')).toBeTruthy();
    expect(screen.getByTestId('bids').querySelector('.size')!.textContent).toBe('48.5K');
    fireEvent.change(screen.getByLabelText('Price grouping'), { target: { value: '10' } });
    const prices = [...screen.getByTestId('bids').querySelectorAll('.price')].map((e) => e.textContent);
    expect(prices).toEqual(['97,000', '96,990']);
  });
});

describe('view hotkeys', () => {
  it('asks the venue for the book grouped at the chosen step and shows its 20 levels, not the few the raw book fills', () => {
    render(<OrderBook instrument={btc} />);
    setBook([97000, 96999, 96991], [97002, 97010]);
    fireEvent.change(screen.getByLabelText('Price grouping'), { target: { value: '100' } });
    expect(requests.filter((r) => r.name === 'market.groupBook').at(-1)?.payload).toEqual({ instrumentId: btc.id, step: 100 });
    // Until the venue's grouped book is in, the raw levels are grouped on screen: two rows of bids.
    expect(screen.getByTestId('orderbook-body').dataset.groupedBy).toBe('screen');
    expect(screen.getByTestId('bids').querySelectorAll('.price')).toHaveLength(2);
    const bids = Array.from({ length: 20 }, (_, i) => 97000 - 100 * i);
    const asks = Array.from({ length: 20 }, (_, i) => 97100 + 100 * i);
    setGroupedBook(100, bids, asks);
    expect(screen.getByTestId('orderbook-body').dataset.groupedBy).toBe('venue');
    const shown = [...screen.getByTestId('bids').querySelectorAll('.price')].map((e) => e.textContent);
    // Every row the panel has room for (a few in this test's page), where the raw book filled two.
    expect(shown.length).toBeGreaterThan(2);
    expect(shown.slice(0, 3)).toEqual(['97,000', '96,900', '96,800']);
    // The mid and spread stay the raw book's: a grouped spread would read 100.
    expect(screen.getByTestId('spread').textContent).toMatch(/Spread 2 /);
    // A grouped book at another step is not this view's: back to grouping on screen.
    fireEvent.change(screen.getByLabelText('Price grouping'), { target: { value: '10' } });
    expect(screen.getByTestId('orderbook-body').dataset.groupedBy).toBe('screen');
    expect(requests.filter((r) => r.name === 'market.groupBook').at(-1)?.payload).toEqual({ instrumentId: btc.id, step: 10 });
  });

  it('asks again every few seconds while the venue sends no grouped book (an engine that restarted forgot the request), and not while it does', () => {
    vi.useFakeTimers();
    try {
      render(<OrderBook instrument={btc} />);
      setBook([97000, 96999], [97002]);
      fireEvent.change(screen.getByLabelText('Price grouping'), { target: { value: '100' } });
      const asks = () => requests.filter((r) => r.name === 'market.groupBook' && (r.payload as { step: number }).step === 100).length;
      expect(asks()).toBe(1);
      act(() => {
        vi.advanceTimersByTime(2_000);
      });
      expect(asks()).toBe(1);
      act(() => {
        vi.advanceTimersByTime(4_000);
      });
      expect(asks()).toBe(2);
      // Served: the grouped book streams (fresh each half second); nothing more is asked.
      for (let i = 0; i < 16; i++) {
        setGroupedBook(100, [97000, 96900], [97100, 97200]);
        act(() => {
        vi.advanceTimersByTime(500);
      });
      }
      expect(asks()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('switch instrument, timeframe, grouping and unit; ignore typing in inputs and modified keys', () => {
    const key = (k: string, extra: Partial<KeyboardEvent> = {}) => handleKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: null, ...extra });
    expect(key('2')).toBe(true);
    expect(useViewStore.getState().selectedId).toBe(eth.id);
    key(']');
    expect(useViewStore.getState().selectedId).toBe(btc.id);
    key('t');
    expect(useViewStore.getState().timeframe).toBe('5m');
    key('=');
    expect(useViewStore.getState().grouping).toBe(2);
    key('u');
    expect(useViewStore.getState().sizeUnit).toBe('usd');
    expect(key('u', { ctrlKey: true })).toBe(false);
    expect(key('u', { target: document.createElement('input') })).toBe(false);
    expect(key('9')).toBe(false);
  });
});
