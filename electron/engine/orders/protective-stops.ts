import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StopRule, StopStatus } from '../../../shared/domain/stops.ts';
import { SettingsFile } from '../../storage/settings-file.ts';
import type { EngineJournal } from '../journal/journal-db.ts';
import { clientOrderId } from './client-order-id.ts';

/*
 * Protective stops kept at the venue (issue "Kill switch", item 4). The dead-man switch cancels
 * every order when the app is gone, stops included (the venue's scheduleCancel knows no
 * exception); so the engine looks at the venue's open orders after every reconnect, at start and
 * every few seconds, and puts back any stop that is missing or no longer matches the position.
 * A stop is reduce-only: it can only close what is held. The dead-man is armed only while other
 * orders rest, so stops alone survive the app going away. The kill switch leaves them be: its
 * cancel-all takes them off the book, and they come back while a position is still open — an
 * unwind that fails is not left without its stop; once flat, the stop is done.
 */

export interface StopVenue {
  /** The trading account's position in a coin, coins (signed); null when not known yet. */
  position(coin: string): number | null;
  mark(coin: string): number | null;
  lot(coin: string): number;
  /** Why orders cannot be sent now (reconnecting, reconciling…), or null. */
  blocked(): string | null;
  openOrders(): Promise<{ cloid: string | null; coin: string; size: number }[]>;
  placeStop(stop: { clientId: string; coin: string; side: 'buy' | 'sell'; size: number; triggerPx: number; limitPx: number }): Promise<{ kind: 'waiting' } | { kind: 'rejected'; reason: string }>;
  cancel(cloid: string, coin: string): Promise<boolean>;
}

export interface ProtectiveStopsOptions {
  venue: StopVenue;
  journal: EngineJournal | null;
  now: () => number;
  changed: () => void;
  dataDir: string | null;
  checkMs?: number;
  /** How long a stop just placed may be missing from the venue's list before it counts as gone, ms. */
  settleMs?: number;
}

interface Kept extends StopStatus {
  cloid: string | null;
}

const fileSchema = z.object({ version: z.literal(1), stops: z.array(z.object({ coin: z.string().regex(/^[A-Z0-9]{1,12}$/), triggerPx: z.number().finite().positive() })).max(100) });
/** A stop market order is capped this far through its trigger, as the venue caps market orders. */
const STOP_SLIPPAGE = 0.1;

export class ProtectiveStops {
  private readonly o: Required<Omit<ProtectiveStopsOptions, 'journal' | 'dataDir'>> & Pick<ProtectiveStopsOptions, 'journal' | 'dataDir'>;
  private readonly kept = new Map<string, Kept>();
  private readonly file: SettingsFile<z.infer<typeof fileSchema>>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(options: ProtectiveStopsOptions) {
    this.o = { checkMs: 3_000, settleMs: 5_000, ...options };
    this.file = new SettingsFile(options.dataDir, 'stops.json', fileSchema, 'Protective stops file');
  }

  async start(): Promise<void> {
    const { settings } = await this.file.load({ version: 1, stops: [] });
    for (const r of settings.stops) this.kept.set(r.coin, this.fresh(r));
    this.timer ??= setInterval(() => void this.check(), this.o.checkMs);
    void this.check();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  statuses(): StopStatus[] {
    return [...this.kept.values()].map(({ cloid: _c, ...s }) => ({ ...s, rule: { ...s.rule } }));
  }

  /** Sets (or, with null, removes) the stop of a coin; saved, and placed at the next check (at once). */
  async set(coin: string, triggerPx: number | null): Promise<StopStatus[]> {
    const had = this.kept.get(coin);
    if (triggerPx === null) {
      this.kept.delete(coin);
      if (had?.cloid) await this.o.venue.cancel(had.cloid, coin).catch(() => false);
      this.journal('stop removed', coin, {});
    } else {
      if (had?.cloid) await this.o.venue.cancel(had.cloid, coin).catch(() => false);
      this.kept.set(coin, this.fresh({ coin, triggerPx }));
      this.journal('stop set', coin, { triggerPx });
    }
    await this.file.save({ version: 1, stops: [...this.kept.values()].map((k) => k.rule) });
    await this.check();
    return this.statuses();
  }

  /** One look at the venue: every stop resting at the size of its position, or put back. */
  check(): Promise<void> {
    this.running ??= this.checkAll().finally(() => (this.running = null));
    return this.running;
  }

  private async checkAll(): Promise<void> {
    if (!this.kept.size) return;
    const v = this.o.venue;
    const blocked = v.blocked();
    if (blocked) {
      for (const k of this.kept.values()) this.set1(k, 'waiting', blocked);
      return;
    }
    let open: Awaited<ReturnType<StopVenue['openOrders']>>;
    try {
      open = await v.openOrders();
    } catch (err) {
      for (const k of this.kept.values()) this.set1(k, 'waiting', `the venue's open orders could not be read (${(err as Error).message})`);
      return;
    }
    for (const k of this.kept.values()) await this.checkOne(k, open);
  }

  private async checkOne(k: Kept, open: { cloid: string | null; coin: string; size: number }[]): Promise<void> {
    const v = this.o.venue;
    const now = this.o.now();
    const coin = k.rule.coin;
    const pos = v.position(coin);
    const mine = k.cloid ? open.find((o) => o.cloid === k.cloid) : undefined;
    if (pos === null) return this.set1(k, 'waiting', 'the position has not been read yet');
    k.position = pos;
    const lot = v.lot(coin);
    if (Math.abs(pos) < lot / 2) {
      // The position is closed (by the stop itself, a trade or the kill switch): its stop is done.
      // One left over would come back at an old price on the next position.
      if (mine && k.cloid) await v.cancel(k.cloid, coin).catch(() => false);
      this.kept.delete(coin);
      this.journal('stop removed', coin, { detail: 'the position is closed' });
      await this.file.save({ version: 1, stops: [...this.kept.values()].map((x) => x.rule) }).catch(() => undefined);
      this.o.changed();
      return;
    }
    const side = pos > 0 ? 'sell' : 'buy';
    const mark = v.mark(coin);
    if (mark !== null && (side === 'sell' ? k.rule.triggerPx >= mark : k.rule.triggerPx <= mark)) {
      return this.set1(k, 'invalid', `a ${pos > 0 ? 'long' : 'short'}'s stop must sit ${pos > 0 ? 'below' : 'above'} the mark (${mark.toFixed(1)}); not placed`);
    }
    if (mine && Math.abs(mine.size - Math.abs(pos)) < lot / 2) return this.set1(k, 'resting', `${side} ${Math.abs(pos)} ${coin} if the mark reaches ${k.rule.triggerPx}`);
    // Just placed and not listed yet: give the venue a moment before calling it gone.
    if (k.cloid && !mine && k.placedAt !== null && now - k.placedAt < this.o.settleMs) return this.set1(k, 'placing', 'placed; waiting for the venue to list it');
    const why = !k.cloid ? 'placed' : mine ? 'resized to the position' : 'missing at the venue (a reconnect, the dead-man switch or a cancel-all took it): re-placed';
    if (mine && k.cloid) await v.cancel(k.cloid, coin).catch(() => false);
    const cloid = clientOrderId(`stop:${coin}:${randomUUID()}`);
    k.cloid = cloid;
    k.placedAt = now;
    try {
      const r = await v.placeStop({ clientId: cloid, coin, side, size: Math.abs(pos), triggerPx: k.rule.triggerPx, limitPx: side === 'sell' ? k.rule.triggerPx * (1 - STOP_SLIPPAGE) : k.rule.triggerPx * (1 + STOP_SLIPPAGE) });
      if (r.kind === 'rejected') {
        k.cloid = null;
        this.journal('stop refused', coin, { detail: r.reason });
        return this.set1(k, 'refused', `the venue refused the stop: ${r.reason}`);
      }
    } catch (err) {
      // The answer was lost: the cloid is kept, and the next look at the venue settles it.
      return this.set1(k, 'placing', `no answer from the venue (${(err as Error).message}); checking`);
    }
    if (why.startsWith('missing')) k.replaced++;
    this.journal(why.startsWith('missing') ? 'stop re-placed' : 'stop placed', coin, { triggerPx: k.rule.triggerPx, size: Math.abs(pos), side, detail: why });
    this.set1(k, 'resting', `${side} ${Math.abs(pos)} ${coin} if the mark reaches ${k.rule.triggerPx}${why === 'placed' ? '' : ` (${why})`}`);
  }

  private fresh(rule: StopRule): Kept {
    return { rule, state: 'waiting', detail: null, position: 0, replaced: 0, placedAt: null, cloid: null };
  }

  private set1(k: Kept, state: Kept['state'], detail: string | null): void {
    if (k.state === state && k.detail === detail) return;
    k.state = state;
    k.detail = detail;
    this.o.changed();
  }

  private journal(what: string, coin: string, body: Record<string, unknown>): void {
    void this.o.journal?.append('divest', { what, scope: 'hyperliquid', leg: coin, ...body }).catch(() => undefined);
  }
}
