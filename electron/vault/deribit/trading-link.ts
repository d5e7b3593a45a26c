import { z } from 'zod';
import { clientSignatureParams, newNonce } from '../../venues/deribit/auth-signature.ts';
import { DeribitError, DeribitRpc, NotSentError } from '../../venues/deribit/json-rpc.ts';
import { wireAuth } from '../../venues/deribit/wire-schemas.ts';

/** An API key as main uses it: its client id and an HMAC under its secret (the secret stays in the vault). */
export interface DeribitKeyInUse {
  clientId: string;
  hmac: (message: string) => string;
}

export interface TradingLinkOptions {
  /** Where Deribit is for the network in use; null: Deribit is not configured. */
  wsUrl: () => Promise<string | null>;
  /** The key to log in with, or why there is none (vault locked, no key for this network). */
  key: () => Promise<DeribitKeyInUse | string>;
  heartbeatIntervalS?: number;
  requestTimeoutMs?: number;
  now?: () => number;
}

/** The action was refused before it was sent (no key, not connected): nothing reached Deribit. */
export class LinkNotSent extends Error {
  override name = 'LinkNotSent';
}

const LOGIN_WAIT_MS = 5_000;

/**
 * Main's own Deribit connection, the only one that can trade: logged in with the vault's API key
 * (client_signature, full trade scope) and with cancel-on-disconnect on, so every order main sent
 * is cancelled by Deribit if this connection dies — the app quit, the machine slept, the network
 * went. It stays logged in while the vault is locked (locking must not cancel working orders);
 * the guard, which needs the vault unlocked, stands before every order sent on it.
 */
export class DeribitTradingLink {
  private rpc: DeribitRpc | null = null;
  private url: string | null = null;
  private loggedIn = false;
  private loggingIn = false;
  private clientId: string | null = null;
  private problem: string | null = null;
  private waiters: (() => void)[] = [];
  private readonly o: TradingLinkOptions;

  constructor(options: TradingLinkOptions) {
    this.o = options;
  }

  get ready(): boolean {
    return this.loggedIn;
  }

  /** The client id this connection is logged in with (null when it is not). */
  get loggedInAs(): string | null {
    return this.loggedIn ? this.clientId : null;
  }

  /**
   * Sends one request on the trading connection. A Deribit error comes back as DeribitError; a
   * refusal before sending as LinkNotSent; anything else (timeout, drop after sending) leaves the
   * outcome unknown.
   */
  async call(method: string, params: Record<string, unknown>): Promise<unknown> {
    const rpc = await this.connect();
    // A session that could not log in (no key, vault locked) tries again now that it is asked to trade.
    if (!this.loggedIn && rpc.connected && this.problem !== null && !this.loggingIn) await this.login(rpc);
    else if (!this.loggedIn) await this.waitForLogin();
    if (!this.loggedIn) throw new LinkNotSent(`Deribit: the trading connection is not logged in (${this.problem ?? 'still connecting'}); nothing was sent`);
    try {
      return await rpc.call(method, params, z.unknown());
    } catch (err) {
      if (err instanceof NotSentError) throw new LinkNotSent(`Deribit: ${err.message}; nothing was sent`);
      throw err;
    }
  }

  /** A read on the trading connection (the guard's own view of positions and prices). */
  async read<T extends z.ZodType>(method: string, params: Record<string, unknown>, schema: T): Promise<z.infer<T>> {
    const raw = await this.call(method, params);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`${method}: unexpected answer from Deribit`);
    return parsed.data;
  }

  close(): void {
    this.rpc?.stop();
    this.rpc = null;
    this.loggedIn = false;
    this.wake();
  }

  private async connect(): Promise<DeribitRpc> {
    const url = await this.o.wsUrl();
    if (!url) throw new LinkNotSent('Deribit is not configured for this network; nothing was sent');
    if (this.rpc && this.url === url) return this.rpc;
    this.close();
    this.url = url;
    const rpc: DeribitRpc = new DeribitRpc(
      { url, heartbeatIntervalS: this.o.heartbeatIntervalS ?? 10, requestTimeoutMs: this.o.requestTimeoutMs ?? 10_000, ...(this.o.now ? { now: this.o.now } : {}) },
      {
        open: () => void this.onOpen(rpc),
        notification: () => undefined,
        down: (reason) => {
          this.loggedIn = false;
          this.problem = `connection lost: ${reason}`;
        },
        malformed: () => undefined,
      },
    );
    this.rpc = rpc;
    rpc.start();
    return rpc;
  }

  private async onOpen(rpc: DeribitRpc): Promise<void> {
    this.loggedIn = false;
    try {
      await rpc.call('public/set_heartbeat', { interval: this.o.heartbeatIntervalS ?? 10 }, z.literal('ok'));
      await this.login(rpc);
    } catch (err) {
      this.problem = (err as Error).message;
      this.wake();
    }
  }

  private async login(rpc: DeribitRpc): Promise<void> {
    this.loggingIn = true;
    try {
      await this.tryLogin(rpc);
    } finally {
      this.loggingIn = false;
      this.wake();
    }
  }

  private async tryLogin(rpc: DeribitRpc): Promise<void> {
    const key = await this.o.key();
    if (typeof key === 'string') {
      this.problem = key;
      return;
    }
    try {
      const now = (this.o.now ?? Date.now)();
      await rpc.call('public/auth', clientSignatureParams(key.clientId, now, newNonce(), key.hmac), wireAuth);
      // Every order sent on this connection is Deribit's to cancel if it drops.
      await rpc.call('private/enable_cancel_on_disconnect', { scope: 'connection' }, z.literal('ok'));
      if (this.rpc !== rpc) return;
      this.clientId = key.clientId;
      this.loggedIn = true;
      this.problem = null;
    } catch (err) {
      this.problem = err instanceof DeribitError ? `Deribit refused the API key: ${err.message}` : (err as Error).message;
    }
  }

  private waitForLogin(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      }, LOGIN_WAIT_MS);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
