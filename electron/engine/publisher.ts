import { encodeFrame } from '../../shared/stream/frame-codec.ts';
import type { MarketState } from './market/market-state.ts';
import { SCREEN_CREDIT, SCREEN_MIN_GAP_MS, STALLED_AFTER_MS } from '../../shared/stream/frame-credit.ts';

export type FrameSink = (bytes: Uint8Array) => void;

/** A screen's sink: frames it may hold undrawn, and how it says it drew some. */
export interface MeteredSink {
  /** Counts `n` frames as drawn: that much credit comes back. */
  drawn(n: number): void;
  remove(): void;
}

interface Sink {
  send: FrameSink;
  /** null: unmetered (a test or a host that does not draw), paced by the interval instead. */
  credit: number | null;
  /** When the credit ran out (performance.now()), or null while it has some. */
  emptySince: number | null;
  /** A frame went out while this sink could not take it: it needs the whole state. */
  missed: boolean;
}

/**
 * Sends state changes to the screens as frames, aligned to their drawing (credit-based flow): a
 * screen holds up to `SCREEN_CREDIT` frames it has not drawn; while it has credit a change goes out
 * at once (changes within `SCREEN_MIN_GAP_MS` of the last frame fold into the next), and while it has none
 * they coalesce in the market state until it says it drew. So a fast screen sees a tick in its
 * next display frame, and a slow or hidden one never makes the engine queue: the state holds the
 * latest of everything (and a bounded list of trades) whatever the wait.
 *
 * Sinks that never acknowledge (unmetered) get a frame at most every `intervalMs`.
 */
export class Publisher {
  private readonly sinks = new Set<Sink>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private lastFlush = -Infinity;
  framesSent = 0;

  private readonly state: MarketState;
  private readonly intervalMs: number;
  private readonly now: () => number;
  /** Asked for when a sink that missed frames draws again: put the whole state in the next frame. */
  onNeedsWholeState: () => void = () => undefined;

  constructor(state: MarketState, intervalMs = 16, now: () => number = Date.now) {
    this.state = state;
    this.intervalMs = intervalMs;
    this.now = now;
  }

  /** An unmetered sink: every frame, paced by the interval. */
  addSink(sink: FrameSink): () => void {
    const s: Sink = { send: sink, credit: null, emptySince: null, missed: false };
    this.sinks.add(s);
    return () => this.sinks.delete(s);
  }

  /** A screen's sink: frames go out as its credit allows; `drawn` gives credit back. */
  addMeteredSink(sink: FrameSink, credit = SCREEN_CREDIT): MeteredSink {
    const s: Sink = { send: sink, credit, emptySince: null, missed: false };
    this.sinks.add(s);
    return {
      drawn: (n) => {
        if (!this.sinks.has(s) || !(n > 0)) return;
        s.credit = Math.min(credit, (s.credit ?? 0) + Math.floor(n));
        s.emptySince = null;
        if (s.missed) {
          s.missed = false;
          this.onNeedsWholeState();
        }
        if (this.state.dirty) this.changed();
      },
      remove: () => void this.sinks.delete(s),
    };
  }

  /** Call after any change to the state. */
  changed(): void {
    if (this.immediate || !this.state.dirty) return;
    const wait = this.waitMs(performance.now());
    if (wait === null) return; // no sink to send to; a sink's arrival or draw calls again
    if (wait === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      // Changes of the same turn of the event loop fold into this one frame.
      this.immediate = setImmediate(() => this.flush());
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.state.dirty && this.waitMs(performance.now()) === 0) this.flush();
      else this.changed();
    }, wait);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /**
   * How long until a frame may go out: 0 now, null when no sink can take one until it draws.
   * With screens (metered sinks) a frame waits for every screen that is still drawing to hold
   * credit; a screen out of credit past `STALLED_AFTER_MS` is no longer waited for. Without
   * screens, unmetered sinks are paced by the interval.
   */
  private waitMs(at: number): number | null {
    let metered = 0;
    let ready = 0;
    let stallsAt = Infinity;
    for (const s of this.sinks) {
      if (s.credit === null) continue;
      metered++;
      if (s.credit > 0) ready++;
      else if (s.emptySince !== null && at - s.emptySince < STALLED_AFTER_MS) stallsAt = Math.min(stallsAt, s.emptySince + STALLED_AFTER_MS);
    }
    if (metered > 0) {
      if (ready === 0) return null;
      if (stallsAt !== Infinity) return Math.max(1, stallsAt - at);
      return Math.max(0, this.lastFlush + SCREEN_MIN_GAP_MS - at);
    }
    if (this.sinks.size === 0) return null;
    return Math.max(0, this.lastFlush + this.intervalMs - at);
  }

  private flush(): void {
    this.immediate = null;
    this.lastFlush = performance.now();
    if (!this.state.dirty || this.sinks.size === 0) return;
    const bytes = encodeFrame(this.state.takeFrame(this.now()));
    this.framesSent++;
    const at = performance.now();
    for (const s of this.sinks) {
      if (s.credit === 0) {
        s.missed = true;
        continue;
      }
      try {
        s.send(bytes);
      } catch {
        // A closed window or socket must not stop the others; its host removes it.
      }
      if (s.credit !== null) {
        s.credit--;
        if (s.credit === 0) s.emptySince = at;
      }
    }
  }
}
