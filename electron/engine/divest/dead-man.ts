import type { EngineJournal } from '../journal/journal-db.ts';

/*
 * Dead-man protection (issue "Kill switch", item 4): while DeltaDesk has orders resting on
 * Hyperliquid, the venue is told to cancel them all a minute from now (`scheduleCancel`), and told
 * again well before that minute is up; so if the app, the machine or the network dies, the orders
 * die with it. With nothing resting the schedule is cleared (the venue counts the times it fires).
 * Deribit's equivalent, cancel-on-disconnect, is on main's trading connection from its login.
 */

export interface DeadManStatus {
  /** When the venue will cancel every open order unless told again, ms; null when not set. */
  armedUntil: number | null;
  /** Why the last attempt to set or clear it failed (vault locked, venue down…), or null. */
  error: string | null;
}

export interface DeadManOptions {
  liveOrders: () => number;
  schedule: (at: number | null) => Promise<void>;
  now: () => number;
  journal: EngineJournal | null;
  changed: () => void;
  /** How far ahead the cancel is set, ms (the venue wants at least 5 s). */
  horizonMs?: number;
  /** How often it is looked at, ms. */
  checkMs?: number;
}

export class DeadManSwitch {
  private readonly o: Required<Omit<DeadManOptions, 'journal'>> & Pick<DeadManOptions, 'journal'>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;
  readonly status: DeadManStatus = { armedUntil: null, error: null };

  constructor(options: DeadManOptions) {
    this.o = { horizonMs: 60_000, checkMs: 5_000, ...options };
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.o.checkMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const now = this.o.now();
    const live = this.o.liveOrders() > 0;
    try {
      // Renewed once a third of the horizon has passed: a missed check or two still leaves it ahead.
      if (live && (this.status.armedUntil === null || this.status.armedUntil - now < (this.o.horizonMs * 2) / 3)) {
        const at = now + this.o.horizonMs;
        await this.o.schedule(at);
        if (this.status.armedUntil === null) void this.o.journal?.append('divest', { what: 'dead-man set', scope: 'hyperliquid', detail: `orders cancel at ${new Date(at).toISOString()} unless renewed` }).catch(() => undefined);
        this.set(at, null);
      } else if (!live && this.status.armedUntil !== null) {
        await this.o.schedule(null);
        void this.o.journal?.append('divest', { what: 'dead-man cleared', scope: 'hyperliquid', detail: 'no order resting' }).catch(() => undefined);
        this.set(null, null);
      }
    } catch (err) {
      this.set(this.status.armedUntil !== null && this.status.armedUntil > now ? this.status.armedUntil : null, (err as Error).message);
    } finally {
      this.busy = false;
    }
  }

  private set(armedUntil: number | null, error: string | null): void {
    if (this.status.armedUntil === armedUntil && this.status.error === error) return;
    this.status.armedUntil = armedUntil;
    this.status.error = error;
    this.o.changed();
  }
}
