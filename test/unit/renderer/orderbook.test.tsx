import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
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
      mids: {},
      trades: [],
      venues: null,
      decodeErrors: 0,
      lastDecodeError: null,
    });
  });
}

beforeEach(() => {
  useViewStore.setState({ grouping: 1, sizeUnit: 'coin', selectedId: btc.id, timeframe: '1m' });
  useMarketStore.setState({ books: {}, instruments: [btc, eth] });
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
