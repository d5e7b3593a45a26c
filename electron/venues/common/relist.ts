/*
 * When an adapter reads a venue's option listing again: half a minute after the soonest expiry it
 * holds (the venue settles it and lists the next), and at least every `everyMs` — never sooner than
 * a second from now.
 */
export const RELIST_EVERY_MS = 15 * 60_000;
const AFTER_EXPIRY_MS = 30_000;

export function relistDelayMs(expiries: Iterable<number>, now: number, everyMs: number): number {
  let soonest = Infinity;
  for (const e of expiries) if (e < soonest) soonest = e;
  return Math.max(1_000, Math.min(everyMs, soonest + AFTER_EXPIRY_MS - now));
}
