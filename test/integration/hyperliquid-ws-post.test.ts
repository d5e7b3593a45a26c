import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Executor } from '../../electron/engine/orders/executor.ts';
import { HyperliquidExecution } from '../../electron/venues/hyperliquid/execution.ts';
import { WsPoster } from '../../electron/venues/hyperliquid/ws-post.ts';
import { rawText } from '../../electron/venues/common/ws-text.ts';
import { startTradingRig, type TradingRig } from '../support/trading-rig.ts';

/*
 * Signed actions over the WebSocket `post`, with HTTP when the socket is down: the order goes
 * over the open socket, falls back to HTTP only when nothing was written to it, and an answer lost
 * on the socket is resolved by asking the venue, never by sending the order again.
 */
let rig: TradingRig;
let socket: WebSocket;
let poster: WsPoster;

beforeAll(async () => {
  rig = await startTradingRig(61, 'dd-ws-post-');
  socket = new WebSocket(rig.httpUrl.replace('http', 'ws') + '/ws');
  await new Promise((r) => socket.once('open', r));
  poster = new WsPoster(
    (frame) => (socket.readyState === WebSocket.OPEN ? (socket.send(frame), true) : false),
    () => socket.readyState === WebSocket.OPEN,
  );
  socket.on('message', (data) => {
    const msg = JSON.parse(rawText(data)) as { channel: string; data: unknown };
    if (msg.channel === 'post') poster.answer(msg.data);
  });
});
afterAll(async () => {
  socket.close();
  await rig.close();
});

function execution(timeoutMs = 1_000): HyperliquidExecution {
  return new HyperliquidExecution({
    httpUrl: () => rig.httpUrl,
    poster,
    timeoutMs,
    sign: async (r) => {
      const signed = await rig.host.signing.signForEngine({ venue: 'hyperliquid', action: r.action, purpose: r.purpose, summary: r.summary, ...(r.expiresAfter ? { expiresAfter: r.expiresAfter } : {}) });
      if (!signed.ok) throw new Error(signed.error.message);
      return signed.value;
    },
  });
}
const btc = () => rig.server.market.coin('BTC')!;
let n = 0;
const intent = () => ({ intentId: `ws-${++n}`, instrument: 'BTC', side: 'buy' as const, size: 0.001, price: Math.round(btc().bestBid() * 0.97), tif: 'Gtc' as const, reduceOnly: false, purpose: 'manual' as const });
const atVenue = (cloid: string) => rig.server.exchange.acceptedOrders().filter((o) => (o.order as { c?: string }).c === cloid).length;

describe('actions over the WebSocket post', () => {
  it('an order goes over the open socket and rests', async () => {
    const ex = execution();
    const order = await new Executor(ex).submit(intent());
    expect(order.state).toBe('accepted');
    expect(ex.lastTransport).toBe('websocket');
  });

  it('an answer lost on the socket is resolved by asking the venue: one order, adopted', async () => {
    rig.server.apply({ fault: 'loseAnswers', count: 1 });
    const ex = execution(300);
    const order = await new Executor(ex, { statusDelayMs: 50 }).submit(intent());
    expect(order.state).toBe('accepted');
    expect(atVenue(order.clientId)).toBe(1);
  });

  it('a venue refusal on the socket is the venue’s words', async () => {
    const ex = execution();
    const order = await new Executor(ex).submit({ ...intent(), size: 0.00001 });
    expect(order).toMatchObject({ state: 'rejected', reason: 'Order must have minimum value of $10. asset=0' });
  });

  it('with the socket closed, the action goes over HTTP', async () => {
    socket.close();
    await new Promise((r) => socket.once('close', r));
    const ex = execution();
    const order = await new Executor(ex).submit(intent());
    expect(order.state).toBe('accepted');
    expect(ex.lastTransport).toBe('http');
  });
});
