import { onAggregationGrid, sameAggregation, type BookAggregation } from '../../../shared/domain/book-grouping.ts';
import { askCount, bidCount, LEVEL_STRIDE } from '../../../shared/stream/packed-book.ts';
import type { GroupedBookUpdate } from '../../../shared/stream/frame.ts';
import { ReconnectingSocket, type SocketFactory } from '../common/reconnecting-socket.ts';
import type { BackoffOptions } from '../common/backoff.ts';
import { readL2Book } from './book-parse.ts';
import { scanL2BookFrame, type ScannedBook } from './book-scan.ts';
import { perpInstrumentId } from './instruments.ts';
import { wireFrame, wireSubscriptionAck } from './wire-schemas.ts';

export interface GroupedBookOptions {
  wsUrl: string;
  createSocket?: SocketFactory;
  backoff?: BackoffOptions;
  now?: () => number;
  heartbeatIdleMs?: number;
  heartbeatTimeoutMs?: number;
}

export interface GroupedBookSink {
  book(update: GroupedBookUpdate): void;
  /** The venue refused the aggregation or sent something unreadable: the screen groups the raw book meanwhile. */
  problem(text: string): void;
}

interface View {
  coin: string;
  agg: BookAggregation;
  step: number;
  sub: Record<string, unknown>;
}

/**
 * The book the screen shows at a coarse grouping, aggregated by the venue (`l2Book` with
 * `nSigFigs`/`mantissa`), on a socket of its own. Its own socket because the venue's book frames do
 * not say which aggregation they carry: on the main socket, beside the raw book the engine trades
 * on, the two could not be told apart. One view at a time (the screen has one book); changing it
 * unsubscribes the old aggregation and takes frames again only after the venue acknowledges the new
 * one — the venue answers in order on one socket, so nothing of the old aggregation follows that
 * acknowledgement. Every level is checked against the aggregation's price grid as well. With no
 * view the socket is closed.
 */
export class HyperliquidGroupedBook {
  private readonly socket: ReconnectingSocket;
  private view: View | null = null;
  /** The view the venue has acknowledged on the current connection: only its frames are taken. */
  private live: View | null = null;
  private lastTime = 0;
  private started = false;
  private readonly sink: GroupedBookSink;

  constructor(options: GroupedBookOptions, sink: GroupedBookSink) {
    this.sink = sink;
    this.socket = new ReconnectingSocket(
      {
        url: options.wsUrl,
        heartbeatIdleMs: options.heartbeatIdleMs ?? 20_000,
        heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10_000,
        pingFrame: JSON.stringify({ method: 'ping' }),
        ...(options.now ? { now: options.now } : {}),
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.createSocket ? { createSocket: options.createSocket } : {}),
      },
      {
        open: () => this.subscribe(),
        message: (text, receivedAt) => this.onMessage(text, receivedAt),
        down: () => {
          this.live = null;
        },
      },
    );
  }

  /** Shows `coin` aggregated as `agg` (`step` its price step at the touch), or nothing (null). */
  show(next: { coin: string; agg: BookAggregation; step: number } | null): void {
    const current = this.view;
    if (next && current && next.coin === current.coin && sameAggregation(next.agg, current.agg)) return;
    if (current && this.socket.connected) this.socket.send(JSON.stringify({ method: 'unsubscribe', subscription: current.sub }));
    this.live = null;
    this.lastTime = 0;
    this.view = next ? { ...next, sub: { type: 'l2Book', coin: next.coin, nSigFigs: next.agg.nSigFigs, mantissa: next.agg.mantissa } } : null;
    if (!this.view) {
      if (this.started) this.socket.stop();
      this.started = false;
      return;
    }
    if (!this.started) {
      this.started = true;
      this.socket.start();
    } else this.subscribe();
  }

  stop(): void {
    this.show(null);
  }

  private subscribe(): void {
    if (this.view && this.socket.connected) this.socket.send(JSON.stringify({ method: 'subscribe', subscription: this.view.sub }));
  }

  private onMessage(text: string, receivedAt: number): void {
    const view = this.view;
    if (!view) return;
    const scanned = scanL2BookFrame(text);
    if (scanned) return this.onBook(scanned, receivedAt);
    let frame: { channel: string; data?: unknown };
    try {
      frame = wireFrame.parse(JSON.parse(text));
    } catch {
      return; // the greeting, or not JSON: nothing of a book
    }
    if (frame.channel === 'subscriptionResponse') {
      const ack = wireSubscriptionAck.safeParse(frame.data);
      // The acknowledgement echoes what was asked, defaults filled in: match every key asked.
      if (ack.success && ack.data.method === 'subscribe' && Object.entries(view.sub).every(([k, v]) => ack.data.subscription[k] === v)) this.live = view;
    } else if (frame.channel === 'l2Book') {
      const book = readL2Book(frame.data);
      if (typeof book === 'string') return this.sink.problem(`grouped ${book}`);
      this.onBook(book, receivedAt);
    } else if (frame.channel === 'error' && typeof frame.data === 'string' && frame.data.startsWith('Invalid subscription')) {
      this.sink.problem(`venue refused the grouped book: ${frame.data}`);
    }
  }

  private onBook(book: ScannedBook, receivedAt: number): void {
    const view = this.live;
    // Frames before the acknowledgement may be the previous aggregation's.
    if (!view || view !== this.view || book.coin !== view.coin || book.time <= this.lastTime) return;
    const { levels } = book;
    const count = bidCount(levels) + askCount(levels);
    // Prices lead each level, bids first, after the two counts (packed-book.ts).
    for (let i = 0; i < count; i++) {
      const price = levels[2 + i * LEVEL_STRIDE]!;
      if (!onAggregationGrid(price, view.agg, levels[2]!)) return this.sink.problem(`grouped l2Book ${book.coin}: ${price} is off the ${view.step} grid`);
    }
    this.lastTime = book.time;
    this.sink.book({ instrumentId: perpInstrumentId(book.coin), time: book.time, receivedAt, levels: book.levels, step: view.step });
  }
}
