import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOrderId, isClientOrderId } from '../../../electron/engine/orders/client-order-id.ts';
import { applyOrderEvent, IllegalTransition, isLive, newOrder, ORDER_STATES, transitionTable, type Order, type OrderEvent } from '../../../electron/engine/orders/order-state.ts';

const at = 1_764_600_000_000;
const fill = (fillId: string, size: number, price = 100_000): OrderEvent => ({ type: 'fill', at, fillId, size, price });
const run = (events: OrderEvent[], size = 1): Order => events.reduce(applyOrderEvent, newOrder('0xabc', 'buy', size, at));

describe('the order lifecycle table', () => {
  it('is exactly the moves DESIGN.md §4b names, and terminal states accept nothing', () => {
    expect(transitionTable()).toEqual({
      created: ['submit', 'reject'],
      submitted: ['accept', 'fill', 'reject', 'cancel', 'expire'],
      accepted: ['fill', 'amend', 'cancel', 'expire'],
      'partially-filled': ['fill', 'amend', 'cancel', 'expire'],
      filled: [],
      cancelled: [],
      rejected: [],
      expired: [],
    });
  });

  it('an amend changes the size of a working order, never below what filled, and keeps its state', () => {
    const o = run([{ type: 'submit', at }, { type: 'accept', at, venueOrderId: '77' }, fill('f1', 0.4, 100_000), { type: 'amend', at, size: 2, venueOrderId: '78' }]);
    expect(o).toMatchObject({ state: 'partially-filled', size: 2, filled: 0.4, venueOrderId: '78' });
    expect(() => applyOrderEvent(o, { type: 'amend', at, size: 0.3, venueOrderId: '79' })).toThrow(/below the 0.4 already filled/);
    expect(() => run([{ type: 'submit', at }, { type: 'amend', at, size: 2, venueOrderId: '1' }])).toThrow(IllegalTransition);
  });

  it('walks created → submitted → accepted → partially filled → filled, averaging the fill price', () => {
    const o = run([{ type: 'submit', at }, { type: 'accept', at, venueOrderId: '77' }, fill('f1', 0.4, 100_000), fill('f2', 0.6, 101_000)]);
    expect(o).toMatchObject({ state: 'filled', filled: 1, venueOrderId: '77', fillIds: ['f1', 'f2'] });
    expect(o.avgPrice).toBeCloseTo(100_600, 8);
    expect(isLive(o)).toBe(false);
  });

  it('counts decimal fills that add up to the size as full (0.1 + 0.2 = 0.3)', () => {
    expect(run([{ type: 'submit', at }, fill('a', 0.1), fill('b', 0.2)], 0.3).state).toBe('filled');
  });

  it('refuses illegal moves with an error naming the order, the event and the state', () => {
    const cancelled = run([{ type: 'submit', at }, { type: 'cancel', at, reason: 'by you' }]);
    expect(() => applyOrderEvent(cancelled, fill('late', 0.1))).toThrow(IllegalTransition);
    expect(() => applyOrderEvent(cancelled, fill('late', 0.1))).toThrow('order 0xabc: "fill" is not allowed when cancelled');
    expect(() => run([{ type: 'accept', at, venueOrderId: '1' }])).toThrow('"accept" is not allowed when created');
    expect(() => run([{ type: 'submit', at }, { type: 'reject', at, reason: 'x' }, { type: 'accept', at, venueOrderId: '1' }])).toThrow(/when rejected/);
  });

  it('refuses a fill beyond the size, a negative or NaN fill, and never changes the order it was given', () => {
    const o = run([{ type: 'submit', at }, fill('a', 0.8)]);
    const copy = structuredClone(o);
    expect(() => applyOrderEvent(o, fill('b', 0.3))).toThrow(/fills of 1\.1 exceed the order's 1/);
    expect(() => applyOrderEvent(o, fill('c', -0.1))).toThrow(/a fill of -0\.1/);
    expect(() => applyOrderEvent(o, fill('d', Number.NaN))).toThrow(IllegalTransition);
    expect(o).toEqual(copy);
  });

  it('a fill seen twice (a venue resending after a reconnect) is counted once', () => {
    const o = run([{ type: 'submit', at }, fill('a', 0.5), fill('a', 0.5)]);
    expect(o).toMatchObject({ state: 'partially-filled', filled: 0.5 });
  });

  it('random event sequences: every outcome is a legal state reached by legal moves, filled never exceeds the size', () => {
    const event = fc.oneof(
      fc.constant<OrderEvent>({ type: 'submit', at }),
      fc.integer({ min: 1, max: 9 }).map<OrderEvent>((n) => ({ type: 'accept', at, venueOrderId: String(n) })),
      fc.tuple(fc.integer({ min: 1, max: 6 }), fc.double({ min: -0.5, max: 0.8, noNaN: true })).map<OrderEvent>(([id, size]) => fill(`f${id}`, size)),
      fc.double({ min: -0.5, max: 1.5, noNaN: true }).map<OrderEvent>((size) => ({ type: 'amend', at, size, venueOrderId: '88' })),
      fc.constant<OrderEvent>({ type: 'cancel', at, reason: 'r' }),
      fc.constant<OrderEvent>({ type: 'reject', at, reason: 'r' }),
      fc.constant<OrderEvent>({ type: 'expire', at }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (events) => {
        let o = newOrder('0xabc', 'sell', 1, at);
        for (const e of events) {
          const allowed = transitionTable()[o.state].includes(e.type);
          try {
            const next = applyOrderEvent(o, e);
            expect(allowed || next === o).toBe(true);
            o = next;
          } catch (err) {
            expect(err).toBeInstanceOf(IllegalTransition);
          }
          expect(ORDER_STATES).toContain(o.state);
          expect(o.filled).toBeLessThanOrEqual(o.size);
          expect(o.filled).toBeGreaterThanOrEqual(0);
          if (o.state === 'filled') expect(o.filled).toBe(o.size);
        }
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});

describe('client order ids', () => {
  it('one intent, one cloid: a retry sends the same id; a new attempt a new one; venue format', () => {
    const id = clientOrderId('hedge:BTC:1764600000000');
    expect(id).toBe(clientOrderId('hedge:BTC:1764600000000'));
    expect(isClientOrderId(id)).toBe(true);
    expect(clientOrderId('hedge:BTC:1764600000000', 1)).not.toBe(id);
    expect(clientOrderId('hedge:BTC:1764600000001')).not.toBe(id);
    expect(() => clientOrderId('')).toThrow(RangeError);
    expect(() => clientOrderId('a b')).toThrow(RangeError);
    expect(() => clientOrderId('x', -1)).toThrow(RangeError);
  });
});
