import { describe, expect, it } from 'vitest';
import { StatusTracker } from '../../../electron/venues/common/status-tracker.ts';
import type { VenueStatus } from '../../../shared/domain/venues.ts';

/*
 * Health that is current: while messages flow the badge's "last message" is refreshed about once
 * a second (it used to go out only when the state changed, so a streaming venue read "757 s ago");
 * when they stop, nothing new is claimed; a state change still goes out at once.
 */
describe('venue status', () => {
  it('refreshes the last-message time about once a second while messages flow, and only then', () => {
    let now = 1_000_000;
    const out: VenueStatus[] = [];
    const t = new StatusTracker('hyperliquid', true, () => now, (s) => out.push(s));
    t.set('connected', '');
    expect(out).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      now += 100;
      t.messageSeen();
    }
    // 5 s of messages every 100 ms: about five refreshes, each with the time of its message.
    expect(out.length - 1).toBeGreaterThanOrEqual(4);
    expect(out.length - 1).toBeLessThanOrEqual(6);
    expect(out.at(-1)!.lastMessageAt).toBeGreaterThan(now - 1_000);
    const before = out.length;
    now += 30_000; // silence: no refresh is invented
    expect(out).toHaveLength(before);
    t.set('stale', 'no book update for 30 s');
    expect(out.at(-1)).toMatchObject({ state: 'stale', lastMessageAt: now - 30_000 });
  });
});
