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

export class SignatureJournal {
  private usage: DailyUsage;
  private skipped = 0;
  private readonly file: string;
  private readonly now: () => number;

  constructor(file: string, now: () => number = Date.now) {
    this.file = file;
    this.now = now;
    this.usage = { day: utcDay(now()), hedgeNotionalUsd: 0, collateralUsd: 0 };
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
    this.usage = { day: today, hedgeNotionalUsd: 0, collateralUsd: 0 };
    this.skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as JournalEntry;
        if (e.outcome === 'signed' && utcDay(e.at) === today) this.count(e.intent);
      } catch {
        this.skipped += 1;
      }
    }
  }

  todaysUsage(): DailyUsage {
    const today = utcDay(this.now());
    if (this.usage.day !== today) this.usage = { day: today, hedgeNotionalUsd: 0, collateralUsd: 0 };
    return { ...this.usage };
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
    if (entry.outcome === 'signed') {
      this.todaysUsage();
      this.count(entry.intent);
    }
  }

  async recent(limit: number): Promise<JournalEntry[]> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const out: JournalEntry[] = [];
    for (const line of text.split('\n').reverse()) {
      if (out.length >= limit) break;
      try {
        if (line.trim()) out.push(JSON.parse(line) as JournalEntry);
      } catch {
        /* a damaged line is skipped; load() counts it */
      }
    }
    return out;
  }

  private count(intent: JournalEntry['intent']): void {
    if (intent.kind === 'order') this.usage.hedgeNotionalUsd += intent.notionalUsd;
    else if (intent.kind === 'collateral') this.usage.collateralUsd += intent.amountUsd;
  }
}

