/**
 * Exponential backoff with full jitter (AWS architecture blog's "full jitter"): the delay is uniform
 * in [0, min(cap, base·2^attempt)], so many clients cut off together do not reconnect in lockstep.
 * A floor keeps a flapping venue from being hammered.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  floorMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000, floorMs: 100 };

export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(options.floorMs, Math.floor(random() * ceiling));
}
