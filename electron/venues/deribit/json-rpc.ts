import type { z } from 'zod';
import { ReconnectingSocket, type SocketFactory } from '../common/reconnecting-socket.ts';
import { NotSentError, PendingCalls } from '../common/pending-calls.ts';
import { CreditBucket } from './credit-bucket.ts';
import { rpcNotification, rpcResponse } from './wire-schemas.ts';

/** An error answered by Deribit, with its code and message kept for the trader to see. */
export class DeribitError extends Error {
  readonly code: number;
  readonly method: string;
  /** Deribit's own words (`not_enough_funds`). */
  readonly venueMessage: string;
  constructor(method: string, code: number, message: string) {
    super(`${method}: ${message} (Deribit error ${code})`);
    this.code = code;
    this.method = method;
    this.venueMessage = message;
  }
}

export const TOO_MANY_REQUESTS = 10028;

export { NotSentError };

export interface RpcOptions {
  url: string;
  /** `public/set_heartbeat` interval, seconds (the venue's minimum is 10). */
  heartbeatIntervalS: number;
  requestTimeoutMs?: number;
  createSocket?: SocketFactory;
  random?: () => number;
  now?: () => number;
}

export interface RpcEvents {
  /** A new session: set up heartbeat, auth and subscriptions here. */
  open(): void;
  notification(channel: string, data: unknown, receivedAt: number): void;
  down(reason: string, retryInMs: number, attempt: number): void;
  /** A frame that is not valid JSON-RPC; dropped. */
  malformed(reason: string): void;
}

/**
 * Deribit's JSON-RPC 2.0 over one reconnecting WebSocket: request/response by id, subscription
 * notifications, the heartbeat handshake (answer every `test_request`, or the venue closes the
 * socket), and the credit budget (a request over budget waits instead of costing the session).
 */
export class DeribitRpc {
  private readonly socket: ReconnectingSocket;
  private readonly pending: PendingCalls;
  /** Matching-engine-free requests: 500 credits each, 50 000 pool, 10 000/s refill (venues.md §2.9). */
  private readonly credits: CreditBucket;
  private readonly options: RpcOptions;
  private readonly events: RpcEvents;

  constructor(options: RpcOptions, events: RpcEvents) {
    this.options = options;
    this.events = events;
    this.pending = new PendingCalls(options.requestTimeoutMs ?? 10_000);
    const now = options.now ?? Date.now;
    this.credits = new CreditBucket({ capacity: 50_000, refillPerSecond: 10_000, cost: 500, now });
    const intervalMs = options.heartbeatIntervalS * 1000;
    this.socket = new ReconnectingSocket(
      {
        url: options.url,
        // With set_heartbeat the venue speaks at least once per interval; silence past that is a
        // missed heartbeat. We then probe with public/test and give up if it stays silent.
        heartbeatIdleMs: intervalMs + Math.min(intervalMs, 2000),
        heartbeatTimeoutMs: Math.min(5000, intervalMs),
        pingFrame: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'public/test', params: {} }),
        ...(options.createSocket ? { createSocket: options.createSocket } : {}),
        ...(options.random ? { random: options.random } : {}),
        now,
      },
      {
        open: () => this.events.open(),
        message: (text, receivedAt) => this.onMessage(text, receivedAt),
        down: (reason, retryIn, attempt) => {
          this.pending.rejectAll(new Error(`connection lost: ${reason}`));
          this.events.down(reason, retryIn, attempt);
        },
      },
    );
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
    this.pending.rejectAll(new Error('stopped'));
  }

  restart(reason: string, minDelayMs = 0): void {
    this.socket.restart(reason, minDelayMs);
  }

  /** Sends one request and resolves with its validated `result`, or rejects with a DeribitError. */
  async call<T extends z.ZodType>(method: string, params: Record<string, unknown>, schema: T): Promise<z.infer<T>> {
    await this.credits.take();
    const raw = await this.send(method, params);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`${method}: unexpected answer: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  private send(method: string, params: Record<string, unknown>): Promise<unknown> {
    return this.pending.call(method, (id) => this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
  }

  private onMessage(text: string, receivedAt: number): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.events.malformed(`not JSON: ${text.slice(0, 80)}`);
    }
    if (typeof msg === 'object' && msg !== null && 'id' in msg) {
      const r = rpcResponse.safeParse(msg);
      if (!r.success) return this.events.malformed(`bad response: ${r.error.issues[0]?.message}`);
      const p = this.pending.take(r.data.id);
      if (!p) return; // our heartbeat probe (id 0) or an answer that already timed out
      if (r.data.error) p.reject(new DeribitError(p.method, r.data.error.code, r.data.error.message));
      else p.resolve(r.data.result);
      return;
    }
    const n = rpcNotification.safeParse(msg);
    if (!n.success) return this.events.malformed(`bad notification: ${n.error.issues[0]?.path.join('.')} ${n.error.issues[0]?.message}`);
    if (n.data.method === 'heartbeat') {
      if (n.data.params.type === 'test_request') {
        // Unanswered, the venue closes the socket at once. Not credit-limited: it keeps us alive.
        this.socket.send(JSON.stringify({ jsonrpc: '2.0', id: this.pending.id(), method: 'public/test', params: {} }));
      }
      return;
    }
    if (n.data.method === 'subscription' && typeof n.data.params.channel === 'string') {
      this.events.notification(n.data.params.channel, n.data.params.data, receivedAt);
    }
  }
}
