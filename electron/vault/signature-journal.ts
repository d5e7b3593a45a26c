import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { GuardedIntent, WindowUsage } from './budget-guard.ts';
import type { BudgetLimits } from './vault-file.ts';

/*
 * signatures.jsonl: one line per signature or refusal, appended and fsynced before the signature
 * is handed out, never rewritten. It holds what was signed (scheme, digest, a summary), for which
 * intent, by which key, and the limits in force — never key material. The last 24 hours' totals
 * for the budget are rebuilt from it at start, so a restart does not reset the daily limits, and
 * so is the highest budget approval seen, so an older vault file put back is caught.
 */

export interface JournalEntry {
  at: number;
  outcome: 'signed' | 'refused';
  signer: { kind: 'local' | 'ledger' | 'api-key'; address: string; keyId: string | null; role: string };
  scheme: 'hl-l1' | 'hl-user' | 'eip712' | 'transaction' | 'message' | 'deribit-order' | 'derive-action';
  summary: string;
  digest: string;
  /** The guard's reading of the action (several for a batch over coins); older lines carry one. */
  intent: GuardedIntent | { kind: 'agent-approval' | 'budget-approval' | 'other' | 'no-exposure' };
  intents?: GuardedIntent[];
  limits: BudgetLimits | null;
  usageBefore: WindowUsage | null;
  refusal: string | null;
  /** On budget approvals: the approval's generation. */
  budgetGeneration?: number;
}

export const USAGE_WINDOW_MS = 24 * 3_600_000;

/**
 * A line is read only if it has the fields the totals need; anything else (a crash mid-append,
 * a stray `null`, a hand edit) is counted as unreadable and skipped, never fatal.
 */
const lineSchema = z.looseObject({
  at: z.number(),
  outcome: z.enum(['signed', 'refused']),
  signer: z.looseObject({ kind: z.string(), address: z.string() }),
  scheme: z.string(),
  summary: z.string(),
  refusal: z.string().nullable(),
  intent: z.looseObject({ kind: z.string() }),
  intents: z.array(z.looseObject({ kind: z.string() })).optional(),
  budgetGeneration: z.number().int().optional(),
});

interface Counted {
  at: number;
  notionalUsd: number;
  collateralUsd: number;
}

/** Closes a descriptor that may already be broken: there is nothing left to lose by closing it. */
function closeQuietly(fd: number | null): void {
  if (fd === null) return;
  try {
    closeSync(fd);
  } catch {
    // a broken descriptor: nothing more to do with it
  }
}

export class SignatureJournal {
  private window: Counted[] = [];
  private maxBudgetGeneration = 0;
  private skipped = 0;
  private readonly file: string;
  private readonly now: () => number;
  private fd: number | null = null;

  constructor(file: string, now: () => number = Date.now) {
    this.file = file;
    this.now = now;
  }

  /** Reads today's totals; unreadable lines (a crash mid-append) are skipped and counted. */
  async load(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const since = this.now() - USAGE_WINDOW_MS;
    this.window = [];
    this.maxBudgetGeneration = 0;
    const { entries, unreadable } = parseJournal(text);
    this.skipped = unreadable;
    for (const e of entries) {
      if (e.outcome === 'signed' && e.at > since) this.count(e);
      this.maxBudgetGeneration = Math.max(this.maxBudgetGeneration, e.budgetGeneration ?? 0);
    }
  }

  /** Signed in the rolling 24 hours before now. */
  usage(): WindowUsage {
    const since = this.now() - USAGE_WINDOW_MS;
    while (this.window.length && this.window[0]!.at <= since) this.window.shift();
    let hedgeNotionalUsd = 0;
    let collateralUsd = 0;
    for (const c of this.window) {
      hedgeNotionalUsd += c.notionalUsd;
      collateralUsd += c.collateralUsd;
    }
    return { hedgeNotionalUsd, collateralUsd };
  }

  /** The highest budget approval ever journaled. */
  get budgetGeneration(): number {
    return this.maxBudgetGeneration;
  }

  get unreadableLines(): number {
    return this.skipped;
  }

  /**
   * Appends one line and waits until it is on disk (fdatasync: the line and the file's new
   * length; the modification time is not worth a second flush). The file stays open between
   * appends — reopening it for every signature cost more than the flush; a failed write drops
   * the descriptor so the next append starts afresh.
   */
  append(entry: JournalEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    // Synchronous on purpose: the line is on the order's critical path either way, and a write
    // and a datasync through the thread pool wait behind whatever else holds it (an unlock's
    // scrypt holds it for a quarter second) and for the event loop twice. A sub-millisecond block
    // of main is the smaller cost; appends also stay in order without a queue.
    try {
      this.fd ??= openSync(this.file, 'a', 0o600);
      const bytes = Buffer.from(line, 'utf8');
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
      fdatasyncSync(this.fd);
    } catch (err) {
      // Unusable now: the next append opens the file afresh.
      closeQuietly(this.fd);
      this.fd = null;
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    if (entry.outcome === 'signed') this.count(entry);
    this.maxBudgetGeneration = Math.max(this.maxBudgetGeneration, entry.budgetGeneration ?? 0);
    return Promise.resolve();
  }

  /** Closes the file (the host is stopping). */
  close(): Promise<void> {
    closeQuietly(this.fd);
    this.fd = null;
    return Promise.resolve();
  }

  async recent(limit: number): Promise<JournalEntry[]> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    return parseJournal(text).entries.slice(-limit).reverse();
  }

  private count(entry: Pick<JournalEntry, 'at' | 'intent' | 'intents'>): void {
    let notionalUsd = 0;
    let collateralUsd = 0;
    for (const intent of entry.intents ?? [entry.intent]) {
      const i = intent as { kind: string; notionalUsd?: unknown; amountUsd?: unknown; reducesOnly?: unknown };
      // What the kill switch signed to reduce exposure spends none of the day's budget.
      if (i.reducesOnly === true) continue;
      if (i.kind === 'order' && typeof i.notionalUsd === 'number' && Number.isFinite(i.notionalUsd)) notionalUsd += Math.abs(i.notionalUsd);
      else if (i.kind === 'collateral' && typeof i.amountUsd === 'number' && Number.isFinite(i.amountUsd)) collateralUsd += Math.abs(i.amountUsd);
    }
    if (notionalUsd === 0 && collateralUsd === 0) return;
    // Lines are appended in time order; keep the window sorted even if the clock stepped back.
    let i = this.window.length;
    while (i > 0 && this.window[i - 1]!.at > entry.at) i--;
    this.window.splice(i, 0, { at: entry.at, notionalUsd, collateralUsd });
  }
}


/** The journal's lines in order; an unreadable line (a crash mid-append) is counted, not fatal. */
function parseJournal(text: string): { entries: JournalEntry[]; unreadable: number } {
  const entries: JournalEntry[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = lineSchema.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data as unknown as JournalEntry);
      else unreadable += 1;
    } catch {
      unreadable += 1;
    }
  }
  return { entries, unreadable };
}
