/*
 * Frame-aligned publishing, the part every host and the page agree on: how many frames a screen
 * may hold undrawn, when one that holds none counts as stalled, and how it says it drew some.
 */

/**
 * Frames a screen may hold undrawn: a display frame's worth of sends at `SCREEN_MIN_GAP_MS` apart
 * (16.7 / 2 ≈ 8), so a screen that draws every frame never runs out and the engine waits only
 * when a screen has fallen behind.
 */
export const SCREEN_CREDIT = 8;

/**
 * The least time between two frames to a screen. Three venues' feeds arrive thousands of times a
 * second; a frame for each would cost the page a decode each and use up its credit within a
 * display frame, so changes within 2 ms fold into one frame. A tick waits at most this long.
 */
export const SCREEN_MIN_GAP_MS = 2;

/**
 * A screen holding no credit this long is not drawing (hidden, minimised, stuck): the others are
 * no longer held back for it, and it gets the whole state when it draws again.
 */
export const STALLED_AFTER_MS = 1_000;

/** The page's report `{ drawn: n }` as it arrives over a port or a socket; anything else is null. */
export function drawnCount(data: unknown): number | null {
  const n = (data as { drawn?: unknown } | null)?.drawn;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && n <= 1_000 ? n : null;
}
