import { afterEach, describe, expect, it } from 'vitest';
import { HyperliquidGroupedBook } from '../../../electron/venues/hyperliquid/grouped-book.ts';
import type { GroupedBookUpdate } from '../../../shared/stream/frame.ts';
import { HandSocket } from '../../support/hand-socket.ts';

/*
 * The grouped book's socket, driven by hand: the venue's book frames do not say their aggregation,
 * so after a switch nothing is taken until the venue acknowledges the new one — a frame of the old
 * aggregation still in flight is dropped — and a level off the aggregation's grid is refused.
 */
let feed: HyperliquidGroupedBook | null = null;
afterEach(() => feed?.stop());

const level = (px: number) => ({ px: px.toFixed(1), sz: '1.5', n: 3 });
const frame = (time: number, step: number, touch = 97_000) =>
  JSON.stringify({ channel: 'l2Book', data: { coin: 'BTC', time, levels: [[level(touch), level(touch - step)], [level(touch + step), level(touch + 2 * step)]] } });
const ack = (nSigFigs: number) => JSON.stringify({ channel: 'subscriptionResponse', data: { method: 'subscribe', subscription: { type: 'l2Book', coin: 'BTC', nSigFigs, mantissa: null } } });

function start() {
  const socket = new HandSocket();
  const out: GroupedBookUpdate[] = [];
  const problems: string[] = [];
  feed = new HyperliquidGroupedBook({ wsUrl: 'ws://venue/ws', createSocket: () => socket }, { book: (b) => out.push(b), problem: (t) => problems.push(t) });
  return { socket, out, problems, say: (text: string) => socket.emit('message', { data: text }) };
}

describe('the grouped book socket', () => {
  it('takes frames only after the venue acknowledges the aggregation, and drops the old one’s after a switch', () => {
    const { socket, out, say } = start();
    feed!.show({ coin: 'BTC', agg: { nSigFigs: 4, mantissa: null }, step: 10 });
    socket.emit('open');
    expect(JSON.parse(socket.sent.at(-1)!)).toEqual({ method: 'subscribe', subscription: { type: 'l2Book', coin: 'BTC', nSigFigs: 4, mantissa: null } });
    say(frame(1, 10));
    expect(out).toHaveLength(0);
    say(ack(4));
    say(frame(2, 10));
    expect(out.map((b) => [b.instrumentId, b.step, b.time])).toEqual([['hyperliquid:BTC-PERP', 10, 2]]);
    // Finer to coarser and back: the $1,000 frames lie on the $10 grid too, only the ack tells them apart.
    feed!.show({ coin: 'BTC', agg: { nSigFigs: 2, mantissa: null }, step: 1000 });
    expect(socket.sent.slice(-2).map((s) => (JSON.parse(s) as { method: string }).method)).toEqual(['unsubscribe', 'subscribe']);
    say(frame(3, 10));
    say(ack(2));
    say(frame(4, 1000));
    feed!.show({ coin: 'BTC', agg: { nSigFigs: 4, mantissa: null }, step: 10 });
    say(frame(5, 1000));
    say(ack(4));
    say(frame(6, 10));
    expect(out.map((b) => [b.step, b.time])).toEqual([[10, 2], [1000, 4], [10, 6]]);
  });

  it('refuses a level off the grid and a book going back in time; a reconnect waits for a new acknowledgement', () => {
    const { socket, out, problems, say } = start();
    feed!.show({ coin: 'BTC', agg: { nSigFigs: 3, mantissa: null }, step: 100 });
    socket.emit('open');
    say(ack(3));
    say(frame(10, 100));
    say(frame(11, 100, 97_050));
    say(frame(9, 100));
    expect(out.map((b) => b.time)).toEqual([10]);
    expect(problems).toEqual(['grouped l2Book BTC: 97050 is off the 100 grid']);
    socket.emit('close', { code: 1006, reason: 'drop' });
    say(frame(12, 100));
    expect(out).toHaveLength(1);
  });

  it('says so when the venue refuses the aggregation, and closes its socket when nothing is in view', () => {
    const { socket, problems, say } = start();
    feed!.show({ coin: 'BTC', agg: { nSigFigs: 5, mantissa: 2 }, step: 2 });
    socket.emit('open');
    say(JSON.stringify({ channel: 'error', data: 'Invalid subscription {"type":"l2Book","coin":"BTC","nSigFigs":5,"mantissa":2}' }));
    expect(problems[0]).toMatch(/^venue refused the grouped book: Invalid subscription/);
    feed!.show(null);
    expect(socket.readyState).toBe(3);
  });
});
