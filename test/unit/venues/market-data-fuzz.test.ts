import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HyperliquidMarketData } from '../../../electron/venues/hyperliquid/market-data.ts';
import type { BookUpdate } from '../../../shared/stream/frame.ts';
import { HandSocket } from '../../support/hand-socket.ts';

afterEach(() => vi.unstubAllGlobals());

async function adapterWithHandSocket() {
  vi.stubGlobal('fetch', () =>
    Promise.resolve(new Response(JSON.stringify({ universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }] }), { headers: { 'content-type': 'application/json' } })),
  );
  const socket = new HandSocket();
  const books: BookUpdate[] = [];
  const adapter = new HyperliquidMarketData(
    { httpUrl: 'http://venue', wsUrl: 'ws://venue/ws', paper: false, createSocket: () => socket },
    { book: (b) => books.push(b), trades: () => undefined, mids: () => undefined, status: () => undefined },
  );
  await adapter.start();
  socket.emit('open');
  return { adapter, socket, books };
}

const level = fc.record({ px: fc.oneof(fc.string(), fc.double().map(String), fc.constant('97000.5')), sz: fc.oneof(fc.string(), fc.constant('1.5'), fc.constant('-2')), n: fc.oneof(fc.integer(), fc.double()) });

describe('Hyperliquid adapter under hostile frames', () => {
  it('never throws, never passes on a non-finite or negative level, and keeps its connection', async () => {
    const { adapter, socket, books } = await adapterWithHandSocket();
    const frame = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ channel: fc.constantFrom('l2Book', 'trades', 'allMids', 'error', 'subscriptionResponse', 'pong'), data: fc.anything() }).map((v) => JSON.stringify(v)),
      fc
        .record({ coin: fc.constantFrom('BTC', ''), time: fc.oneof(fc.nat(), fc.double()), levels: fc.tuple(fc.array(level, { maxLength: 4 }), fc.array(level, { maxLength: 4 })) })
        .map((data) => JSON.stringify({ channel: 'l2Book', data })),
    );
    fc.assert(
      fc.property(frame, (text) => {
        socket.emit('message', { data: text });
      }),
      { numRuns: 2000 },
    );
    for (const b of books) for (let i = 2; i < b.levels.length; i++) expect(Number.isFinite(b.levels[i]) && b.levels[i]! >= 0).toBe(true);
    expect(adapter.stats.malformed).toBeGreaterThan(100);
    expect(adapter.stats.reconnects).toBe(0);
    adapter.stop();
  });

  it('applies a valid book after garbage', async () => {
    const { adapter, socket, books } = await adapterWithHandSocket();
    socket.emit('message', { data: '\u0000\u0001' });
    socket.emit('message', { data: JSON.stringify({ channel: 'l2Book', data: { coin: 'BTC', time: 5, levels: [[{ px: '100.0', sz: '1', n: 1 }], [{ px: '101.0', sz: '2', n: 1 }]] } }) });
    expect(books).toHaveLength(1);
    expect(adapter.status().detail).toMatch(/malformed frame \(not JSON/);
    adapter.stop();
  });
});
