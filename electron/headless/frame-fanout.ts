import { SCREEN_CREDIT, STALLED_AFTER_MS } from '../../shared/stream/frame-credit.ts';

/** One page's stream, as the fan-out sees it. */
export interface FanoutPage {
  /** False when the frame could not go out (the socket is backed up): the page is owed the whole state. */
  send(bytes: Uint8Array): boolean;
}

interface PageState {
  /** Frames sent to the page that it has not said it drew. */
  undrawn: number;
  /** Since when the page has held a full window of undrawn frames (performance.now()), or null. */
  fullSince: number | null;
  /** The page stopped drawing and frames went past it: it needs the whole state when it draws again. */
  missed: boolean;
}

/**
 * The headless host's side of frame-aligned publishing. The engine sees the host as one screen;
 * the host hands its credit on as its pages draw: the engine may have as many frames in flight as
 * the page furthest behind still has room for. A page that holds a full window of undrawn frames
 * longer than `STALLED_AFTER_MS` (a background tab does not draw) no longer holds the others back:
 * frames skip it, and when it draws again the host asks the engine for the whole state.
 */
export class FrameFanout {
  private readonly pages = new Map<FanoutPage, PageState>();
  /** Frames the engine sent that the host has not yet given back as drawn. */
  private engineOutstanding = 0;
  private readonly engineDrawn: (n: number) => void;
  private readonly wholeState: () => void;
  private readonly credit: number;
  framesSkipped = 0;

  constructor(engineDrawn: (n: number) => void, wholeState: () => void, credit = SCREEN_CREDIT) {
    this.engineDrawn = engineDrawn;
    this.wholeState = wholeState;
    this.credit = credit;
  }

  add(page: FanoutPage): () => void {
    this.pages.set(page, { undrawn: 0, fullSince: null, missed: false });
    this.settle();
    return () => {
      this.pages.delete(page);
      this.settle();
    };
  }

  /** A frame from the engine: to every page that is drawing. */
  frame(bytes: Uint8Array, at = performance.now()): void {
    this.engineOutstanding++;
    for (const [page, s] of this.pages) {
      if (this.stalled(s, at)) {
        s.missed = true;
        this.framesSkipped++;
        continue;
      }
      let sent = false;
      try {
        sent = page.send(bytes);
      } catch {
        // A closing socket: its close handler removes it.
      }
      if (!sent) {
        s.missed = true;
        this.framesSkipped++;
        continue;
      }
      s.undrawn++;
      if (s.undrawn >= this.credit && s.fullSince === null) {
        s.fullSince = at;
        // If it is still full then, it stalled: the other pages are let go on.
        setTimeout(() => this.settle(), STALLED_AFTER_MS + 1).unref?.();
      }
    }
    this.settle(at);
  }

  /** The page drew `n` frames. */
  drawn(page: FanoutPage, n: number, at = performance.now()): void {
    const s = this.pages.get(page);
    if (!s || !(n > 0)) return;
    s.undrawn = Math.max(0, s.undrawn - Math.floor(n));
    if (s.undrawn < this.credit) s.fullSince = null;
    if (s.missed) {
      s.missed = false;
      s.undrawn = 0;
      this.wholeState();
    }
    this.settle(at);
  }

  private stalled(s: PageState, at: number): boolean {
    return s.fullSince !== null && at - s.fullSince >= STALLED_AFTER_MS;
  }

  /** Gives the engine back what the page furthest behind (among those drawing) has drawn. */
  private settle(at = performance.now()): void {
    let behind = 0;
    let drawing = 0;
    for (const s of this.pages.values()) {
      if (this.stalled(s, at)) continue;
      drawing++;
      behind = Math.max(behind, s.undrawn);
    }
    // With no page drawing, nothing is given back: the engine coalesces until one is.
    if (drawing === 0) return;
    if (this.engineOutstanding > behind) {
      const n = this.engineOutstanding - behind;
      this.engineOutstanding = behind;
      this.engineDrawn(n);
    }
  }
}
