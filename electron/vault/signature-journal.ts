import { open, readFile } from 'node:fs/promises';
import type { DailyUsage, GuardedIntent } from './budget-guard.ts';
import type { BudgetLimits } from './vault-file.ts';

/*
 * signatures.jsonl: one line per signature or refusal, appended and fsynced before the signature
 * is handed out, never rewritten. It holds what was signed (scheme, digest, a summary), for which
 * intent, by which key, and the limits in force — never key material. Today's totals for the
 * budget are rebuilt from it at start, so a restart does not reset the daily limits.
 */

export interface JournalEntry {
  at: number;
  outcome: 'signed' | 'refused';
  signer: { kind: 'local' | 'ledger'; address: string; keyId: string | null; role: string };
  scheme: 'hl-l1' | 'hl-user' | 'eip712' | 'transaction' | 'message';
  summary: string;
  digest: string;
  intent: GuardedIntent | { kind: 'agent-approval' | 'budget-approval' | 'other' };
  limits: BudgetLimits | null;
  usageBefore: DailyUsage | null;
  refusal: string | null;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const emptyUsage = (day: string): DailyUsage => ({ day, hedgeNotionalUsd: 0, collateralUsd: 0 });

export class SignatureJournal {
  private usage: DailyUsage;
  private skipped = 0;
  private readonly file: string;
  private readonly now: () => number;

  constructor(file: string, now: () => number = Date.now) {
    this.file = file;
    this.now = now;
    this.usage = emptyUsage(utcDay(now()));
  }

  /** Reads today's totals; unreadable lines (a crash mid-append) are skipped and counted. */
  async load(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const today = utcDay(this.now());
    this.usage = emptyUsage(today);
    const { entries, unreadable } = parseJournal(text);
    this.skipped = unreadable;
    for (const e of entries) if (e.outcome === 'signed' && utcDay(e.at) === today) this.count(e.intent);
  }

  todaysUsage(): DailyUsage {
    return { ...this.current() };
  }

  get unreadableLines(): number {
    return this.skipped;
  }

  async append(entry: JournalEntry): Promise<void> {
    const handle = await open(this.file, 'a', 0o600);
    try {
      await handle.appendFile(`${JSON.stringify(entry)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (entry.outcome === 'signed') this.count(entry.intent);
  }

  async recent(limit: number): Promise<JournalEntry[]> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    return parseJournal(text).entries.slice(-limit).reverse();
  }

  /** Today's totals; they start from zero when the UTC day changes. */
  private current(): DailyUsage {
    const today = utcDay(this.now());
    if (this.usage.day !== today) this.usage = emptyUsage(today);
    return this.usage;
  }

  private count(intent: JournalEntry['intent']): void {
    const usage = this.current();
    if (intent.kind === 'order') usage.hedgeNotionalUsd += intent.notionalUsd;
    else if (intent.kind === 'collateral') usage.collateralUsd += intent.amountUsd;
  }
}


/** The journal's lines in order; an unreadable line (a crash mid-append) is counted, not fatal. */
function parseJournal(text: string): { entries: JournalEntry[]; unreadable: number } {
  const entries: JournalEntry[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      unreadable += 1;
    }
  }
  return { entries, unreadable };
}
