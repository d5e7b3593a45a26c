import { describe, expect, it } from 'vitest';
import { Executor } from '../../../electron/engine/orders/executor.ts';
import { OutcomeUnknown, type ExecutionClient, type OrderRequest, type PlaceOutcome, type VenueFill, type VenueOrderStatus } from '../../../electron/venues/common/execution.ts';

/** A venue whose fill list cannot be read at the moment an order fills (a reconnect under way). */
class FlakyFillsVenue implements ExecutionClient {
  account = 'acct';
  fillsReadable = false;
  readonly venueFills: VenueFill[] = [];
  place(o: OrderRequest): Promise<PlaceOutcome> {
    this.venueFills.push({ fillId: 'trade:1', size: o.size * 0.4, price: 100, at: 1 }, { fillId: 'trade:2', size: o.size * 0.6, price: 101, at: 2 });
    return Promise.resolve({ kind: 'filled', venueOrderId: 'v1', filledSize: o.size, avgPrice: 100.6 });
  }
  modify(): Promise<PlaceOutcome> {
    return Promise.resolve({ kind: 'rejected', reason: 'n/a' });
  }
  cancel(): Promise<boolean> {
    return Promise.resolve(false);
  }
  status(): Promise<VenueOrderStatus> {
    return Promise.resolve({ kind: 'filled', venueOrderId: 'v1', filledSize: 1, avgPrice: 100.6 });
  }
  fills(): Promise<VenueFill[]> {
    return this.fillsReadable ? Promise.resolve(this.venueFills) : Promise.reject(new Error('reconnecting'));
  }
}

describe("an order counted whole from the venue's answer", () => {
  it("takes the venue's own fills of it, seen later, as the same fill: nothing counted twice, nothing illegal", async () => {
    const venue = new FlakyFillsVenue();
    const counted: number[] = [];
    const ex = new Executor(venue, { onFill: (f) => counted.push(f.size) });
    const order = await ex.submit({ intentId: 'intent-0001', instrument: 'BTC-PERPETUAL', side: 'buy', size: 1, price: 102, tif: 'Ioc', reduceOnly: false, purpose: 'manual' });
    expect(order).toMatchObject({ state: 'filled', filled: 1 });
    expect(counted).toEqual([1]);
    // The whole-account reconcile after the reconnect lists the venue's two fills of that order.
    for (const f of venue.venueFills) expect(ex.venueFill(order.clientId, f)).toBe('known');
    expect(ex.order('intent-0001')).toMatchObject({ state: 'filled', filled: 1 });
    expect(counted).toEqual([1]);
  });

  it('a fill past the size of an order whose own fills were counted is still illegal, and raises', async () => {
    const venue = new FlakyFillsVenue();
    venue.fillsReadable = true;
    const ex = new Executor(venue);
    const order = await ex.submit({ intentId: 'intent-0002', instrument: 'BTC-PERPETUAL', side: 'buy', size: 1, price: 102, tif: 'Ioc', reduceOnly: false, purpose: 'manual' });
    expect(order.fillIds).toEqual(['trade:1', 'trade:2']);
    expect(() => ex.venueFill(order.clientId, { fillId: 'trade:3', size: 0.5, price: 100, at: 3 })).toThrow(/not allowed when filled/);
  });
});

/** A venue where the order whose answer was lost arrives after the first status request: in flight on its own connection. */
class LateArrivalVenue implements ExecutionClient {
  account = 'acct';
  placed = 0;
  private arrived = false;
  private asked = 0;
  place(): Promise<PlaceOutcome> {
    this.placed++;
    return Promise.reject(new OutcomeUnknown('no answer within 200 ms'));
  }
  modify(): Promise<PlaceOutcome> {
    return Promise.resolve({ kind: 'rejected', reason: 'n/a' });
  }
  cancel(): Promise<boolean> {
    return Promise.resolve(false);
  }
  status(): Promise<VenueOrderStatus> {
    // The first ask overtakes the order; by the next one it has landed.
    if (this.asked++ === 0) {
      setTimeout(() => (this.arrived = true), 5);
      return Promise.resolve({ kind: 'unknown' });
    }
    return Promise.resolve(this.arrived ? { kind: 'open', venueOrderId: 'v9', remaining: 1 } : { kind: 'unknown' });
  }
  fills(): Promise<VenueFill[]> {
    return Promise.resolve([]);
  }
}

describe('an answer lost while the order is still in flight', () => {
  it('one "never seen" is not enough to send again: the order that lands a moment later is adopted, and only one was sent', async () => {
    const venue = new LateArrivalVenue();
    const ex = new Executor(venue, { statusDelayMs: 20, statusAttempts: 5 });
    const order = await ex.submit({ intentId: 'intent-0003', instrument: 'BTC', side: 'buy', size: 1, price: 100, tif: 'Gtc', reduceOnly: false, purpose: 'manual' });
    expect(venue.placed).toBe(1);
    expect(order).toMatchObject({ state: 'accepted', venueOrderId: 'v9' });
  });
});

/** A venue where a working order fills just before the trader's cancel reaches it. */
class FilledBeforeCancelVenue implements ExecutionClient {
  account = 'acct';
  filled = false;
  place(): Promise<PlaceOutcome> {
    return Promise.resolve({ kind: 'resting', venueOrderId: 'v7' });
  }
  modify(): Promise<PlaceOutcome> {
    return Promise.resolve({ kind: 'rejected', reason: 'n/a' });
  }
  cancel(): Promise<boolean> {
    this.filled = true; // the market traded through it a moment before
    return Promise.resolve(false);
  }
  status(): Promise<VenueOrderStatus> {
    return Promise.resolve(this.filled ? { kind: 'filled', venueOrderId: 'v7', filledSize: 1, avgPrice: 99 } : { kind: 'open', venueOrderId: 'v7', remaining: 1 });
  }
  fills(): Promise<VenueFill[]> {
    return Promise.resolve(this.filled ? [{ fillId: 'tid:5', size: 1, price: 99, at: 5 }] : []);
  }
}

describe('a cancel that comes too late', () => {
  it('finds the order filled and says so: the working order becomes filled, with its fill, not an illegal second accept', async () => {
    const venue = new FilledBeforeCancelVenue();
    const ex = new Executor(venue, { statusDelayMs: 5 });
    const placed = await ex.submit({ intentId: 'intent-0004', instrument: 'BTC', side: 'buy', size: 1, price: 99, tif: 'Gtc', reduceOnly: false, purpose: 'manual' });
    expect(placed.state).toBe('accepted');
    const after = await ex.cancel('intent-0004');
    expect(after).toMatchObject({ state: 'filled', filled: 1, fillIds: ['tid:5'] });
  });
});
