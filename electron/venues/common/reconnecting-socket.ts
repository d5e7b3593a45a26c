import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: never) => void): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface ReconnectingSocketOptions {
  url: string;
  /** Send the venue's ping after this long without any inbound message. */
  heartbeatIdleMs: number;
  /** Give up on the connection if nothing arrives this long after a ping. */
  heartbeatTimeoutMs: number;
  /** Abort a connection attempt that has not opened by then. */
  connectTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** The venue's ping frame, e.g. `{"method":"ping"}`. */
  pingFrame: string;
  createSocket?: SocketFactory;
  random?: () => number;
  now?: () => number;
}

export interface SocketEvents {
  open(): void;
  message(text: string, receivedAt: number): void;
  /** The link is down; `retryInMs` is when the next attempt starts. */
  down(reason: string, retryInMs: number, attempt: number): void;
}

const OPEN = 1;

/**
 * One WebSocket that stays connected: heartbeat per the venue's rule, reconnect with backoff and
 * jitter, and a clean stop. It knows nothing of subscriptions; the venue adapter resubscribes on
 * `open`.
 */
export class ReconnectingSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private lastInboundAt = 0;
  private pingSentAt: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly now: () => number;

  private readonly options: ReconnectingSocketOptions;
  private readonly events: SocketEvents;

  constructor(options: ReconnectingSocketOptions, events: SocketEvents) {
    this.options = options;
    this.events = events;
    this.now = options.now ?? Date.now;
  }

  get connected(): boolean {
    return this.socket?.readyState === OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
    const tick = Math.max(50, Math.min(1000, this.options.heartbeatTimeoutMs / 4));
    this.heartbeatTimer = setInterval(() => this.checkHeartbeat(), tick);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.retryTimer = this.heartbeatTimer = this.connectTimer = null;
    const s = this.socket;
    this.socket = null;
    s?.close(1000, 'client stop');
  }

  send(frame: string): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(frame);
    return true;
  }

  /**
   * Drops the current link on purpose (e.g. the adapter saw a broken sequence) and reconnects, no
   * sooner than `minDelayMs` (a venue that cut us off for rate reasons wants a pause).
   */
  restart(reason: string, minDelayMs = 0): void {
    this.fail(reason, minDelayMs);
  }

  private connect(): void {
    if (this.stopped) return;
    let socket: SocketLike;
    try {
      socket = (this.options.createSocket ?? defaultSocketFactory)(this.options.url);
    } catch (err) {
      this.scheduleRetry(`cannot open ${this.options.url}: ${(err as Error).message}`);
      return;
    }
    this.socket = socket;
    this.connectTimer = setTimeout(() => {
      if (this.socket === socket && socket.readyState !== OPEN) this.fail('connection attempt timed out');
    }, this.options.connectTimeoutMs ?? 10_000);
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      if (this.connectTimer) clearTimeout(this.connectTimer);
      this.lastInboundAt = this.now();
      this.pingSentAt = null;
      this.events.open();
    });
    socket.addEventListener('message', (event: { data: unknown }) => {
      if (this.socket !== socket) return;
      const receivedAt = performance.timeOrigin + performance.now();
      this.lastInboundAt = this.now();
      this.pingSentAt = null;
      // A venue in good health now; the next drop starts the backoff from the beginning.
      this.attempt = 0;
      this.events.message(typeof event.data === 'string' ? event.data : String(event.data), receivedAt);
    });
    socket.addEventListener('close', (event: { code?: number; reason?: string }) => {
      if (this.socket !== socket) return;
      this.fail(`connection closed (${event.code ?? '?'}${event.reason ? `: ${event.reason}` : ''})`);
    });
    socket.addEventListener('error', () => {
      if (this.socket !== socket) return;
      // A close event with the code normally follows; fail here only if it does not.
      setTimeout(() => {
        if (this.socket === socket) this.fail('connection error');
      }, 1000);
    });
  }

  private checkHeartbeat(): void {
    if (!this.connected) return;
    const now = this.now();
    if (this.pingSentAt !== null) {
      if (now - this.pingSentAt > this.options.heartbeatTimeoutMs) {
        this.fail(`no answer to heartbeat within ${this.options.heartbeatTimeoutMs} ms`);
      }
    } else if (now - this.lastInboundAt > this.options.heartbeatIdleMs) {
      this.pingSentAt = now;
      this.send(this.options.pingFrame);
    }
  }

  private fail(reason: string, minDelayMs = 0): void {
    const s = this.socket;
    this.socket = null;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    try {
      s?.close(4000, 'reconnecting');
    } catch {
      // The socket may already be gone; nothing to release.
    }
    this.scheduleRetry(reason, minDelayMs);
  }

  private scheduleRetry(reason: string, minDelayMs = 0): void {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.max(minDelayMs, backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random ?? Math.random));
    this.attempt++;
    this.events.down(reason, delay, this.attempt);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }
}

function defaultSocketFactory(url: string): SocketLike {
  // Node 22+ and Electron's utility process have the WHATWG WebSocket built in.
  return new WebSocket(url) as unknown as SocketLike;
}
