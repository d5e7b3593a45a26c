import { encodeFrame } from '../../shared/stream/frame-codec.ts';
import type { MarketState } from './market/market-state.ts';

export type FrameSink = (bytes: Uint8Array) => void;

/**
 * Coalesces state changes into at most one frame per `intervalMs` (16 ms: one display frame).
 * A change schedules a flush; further changes before it fire are folded into the same frame.
 */
export class Publisher {
  private readonly sinks = new Set<FrameSink>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastFlush = -Infinity;
  framesSent = 0;

  private readonly state: MarketState;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(state: MarketState, intervalMs = 16, now: () => number = Date.now) {
    this.state = state;
    this.intervalMs = intervalMs;
    this.now = now;
  }

  addSink(sink: FrameSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Call after any change to the state. */
  changed(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    this.lastFlush = performance.now();
    if (!this.state.dirty || this.sinks.size === 0) return;
    const bytes = encodeFrame(this.state.takeFrame(this.now()));
    this.framesSent++;
    for (const sink of this.sinks) {
      try {
        sink(bytes);
      } catch {
        // A closed window or socket must not stop the others; its host removes it.
      }
    }
  }
}
