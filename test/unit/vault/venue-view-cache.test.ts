import { describe, expect, it } from 'vitest';
import { cachedVenueView } from '../../../electron/vault/guard/venue-view-cache.ts';
import type { VenueView } from '../../../electron/vault/guard/venue-view.ts';

const view = (btc: number): VenueView => ({ coins: ['BTC'], mids: new Map([['BTC', 97_000]]), positions: new Map([['BTC', btc]]), openBuys: new Map(), openSells: new Map() });

describe("the guard's cached venue view", () => {
  it('reuses a fresh view, refreshes a recent one in the background, reads an old one first; one read in flight', async () => {
    let clock = 0;
    let reads = 0;
    let position = 1;
    const read = (): Promise<VenueView> => {
      reads++;
      return Promise.resolve(view(position));
    };
    const get = cachedVenueView(read, { freshMs: 500, maxAgeMs: 2_000, now: () => clock });
    const [a, b] = await Promise.all([get('0xa'), get('0xa')]);
    expect(reads).toBe(1);
    expect(a.positions.get('BTC')).toBe(1);
    expect(b).toBe(a);
    position = 2;
    clock = 400;
    expect((await get('0xa')).positions.get('BTC')).toBe(1); // fresh: no read
    expect(reads).toBe(1);
    clock = 1_500;
    expect((await get('0xa')).positions.get('BTC')).toBe(1); // recent: served, refreshed behind
    await Promise.resolve();
    expect(reads).toBe(2);
    expect((await get('0xa')).positions.get('BTC')).toBe(2);
    clock = 10_000;
    position = 3;
    expect((await get('0xa')).positions.get('BTC')).toBe(3); // old: read first
    expect(reads).toBe(3);
    expect((await get('0xb')).positions.get('BTC')).toBe(3); // each account its own
  });

  it('an unreadable venue refuses once the last good view is too old', async () => {
    let clock = 0;
    let fail = false;
    const get = cachedVenueView(() => (fail ? Promise.reject(new Error('no answer within 5000 ms')) : Promise.resolve(view(1))), { now: () => clock });
    await get('0xa');
    fail = true;
    clock = 1_000;
    await expect(get('0xa')).resolves.toBeTruthy(); // still within 2 s: the last good view
    clock = 2_500;
    await expect(get('0xa')).rejects.toThrow('no answer within 5000 ms');
  });
});
