import { createHash } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { damagedCopyName } from '../../storage/atomic-file.ts';

/*
 * The engine's journal (DESIGN.md §3): orders, order events, fills, position snapshots — and,
 * next, hedges and alerts. SQLite through `node:sqlite`, in WAL mode:
 * - append-only: triggers refuse UPDATE and DELETE, so no code path can rewrite history;
 * - hash-chained: each row's hash covers the previous row's hash and its own content, so an edit
 *   or a removed row made outside DeltaDesk is found when the journal is opened;
 * - off the hot path, with group commit: `append` queues the row and returns; rows queued within
 *   a few milliseconds are written in one transaction (one fsync for all of them), and the
 *   promise `append` returns settles when they are on disk.
 * A journal that cannot be opened or whose chain is broken is kept as it is, renamed beside
 * itself, reported, and a new one is started: nothing is lost, nothing is trusted blindly.
 */

import { JOURNAL_KINDS, type JournalKind } from '../../../shared/domain/journal.ts';

export { JOURNAL_KINDS, type JournalKind };

export interface JournalRow {
  seq: number;
  at: number;
  kind: JournalKind;
  body: unknown;
}

export interface JournalOpenReport {
  rows: number;
  /** Set when the file found was unusable: why, and where it was kept. */
  damaged: { reason: string; keptAs: string } | null;
}

const GENESIS = Buffer.alloc(32);
const MAX_BATCH = 500;

function rowHash(prev: Uint8Array, seq: number, at: number, kind: string, body: string): Buffer {
  return createHash('sha256').update(prev).update(`\n${seq}\n${at}\n${kind}\n${body}`).digest();
}

export class EngineJournal {
  private db!: DatabaseSync;
  private insert!: StatementSync;
  private lastHash: Buffer = GENESIS;
  private lastSeq = 0;
  private queue: { at: number; kind: JournalKind; body: string; done: { resolve: () => void; reject: (e: Error) => void } }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private closed = false;
  readonly report: JournalOpenReport;
  private readonly file: string;
  private readonly groupMs: number;
  private readonly now: () => number;

  /** `file` ':memory:' for tests; `groupMs` how long a row may wait for others to share its commit. */
  constructor(file: string, options: { groupMs?: number; now?: () => number } = {}) {
    this.file = file;
    this.groupMs = options.groupMs ?? 2;
    this.now = options.now ?? Date.now;
    let damaged: JournalOpenReport['damaged'] = null;
    try {
      this.open();
      this.verify();
    } catch (err) {
      try {
        this.db?.close();
      } catch {
        /* already unusable */
      }
      if (file === ':memory:' || !existsSync(file)) throw err;
      const keptAs = damagedCopyName(file, this.now());
      renameSync(file, keptAs);
      for (const side of ['-wal', '-shm']) if (existsSync(file + side)) renameSync(file + side, keptAs + side);
      damaged = { reason: (err as Error).message, keptAs };
      this.lastHash = GENESIS;
      this.lastSeq = 0;
      this.open();
    }
    this.report = { rows: this.lastSeq, damaged };
  }

  private open(): void {
    this.db = new DatabaseSync(this.file);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      CREATE TABLE IF NOT EXISTS entries (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        hash BLOB NOT NULL
      ) STRICT;
      CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    `);
    this.insert = this.db.prepare('INSERT INTO entries (seq, at, kind, body, hash) VALUES (?, ?, ?, ?, ?)');
  }

  /** Walks the whole chain; throws naming the first row that does not follow from the one before. */
  private verify(): void {
    let prev: Uint8Array = GENESIS;
    let expected = 1;
    for (const r of this.db.prepare('SELECT seq, at, kind, body, hash FROM entries ORDER BY seq').iterate() as Iterable<{ seq: number; at: number; kind: string; body: string; hash: Uint8Array }>) {
      if (r.seq !== expected) throw new Error(`row ${expected} is missing (the next is ${r.seq})`);
      if (!(JOURNAL_KINDS as readonly string[]).includes(r.kind)) throw new Error(`row ${r.seq} has an unknown kind "${r.kind.slice(0, 20)}"`);
      if (!rowHash(prev, r.seq, r.at, r.kind, r.body).equals(Buffer.from(r.hash))) throw new Error(`row ${r.seq} was changed outside DeltaDesk (its hash does not follow from the row before)`);
      prev = r.hash;
      expected++;
    }
    this.lastHash = Buffer.from(prev);
    this.lastSeq = expected - 1;
  }

  /** Queues a row; it is on disk when the promise settles (rows close together share one commit). */
  append(kind: JournalKind, body: unknown, at: number = this.now()): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the journal is closed'));
    const text = JSON.stringify(body);
    if (text === undefined) return Promise.reject(new Error('a journal row needs a JSON body'));
    return new Promise((resolve, reject) => {
      this.queue.push({ at, kind, body: text, done: { resolve, reject } });
      if (this.queue.length >= MAX_BATCH) this.flush();
      else this.flushTimer ??= setTimeout(() => this.flush(), this.groupMs);
    });
  }

  /** Writes everything queued in one transaction. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.queue.splice(0);
    if (!batch.length) return;
    let seq = this.lastSeq;
    let prev = this.lastHash;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const row of batch) {
        seq++;
        const hash = rowHash(prev, seq, row.at, row.kind, row.body);
        this.insert.run(seq, row.at, row.kind, row.body, hash);
        prev = hash;
      }
      this.db.exec('COMMIT');
    } catch (err) {
      try {
        this.db.exec('ROLLBACK');
      } catch {
        /* nothing to roll back */
      }
      for (const row of batch) row.done.reject(new Error(`the journal could not be written: ${(err as Error).message}`));
      return;
    }
    this.lastSeq = seq;
    this.lastHash = prev;
    for (const row of batch) row.done.resolve();
  }

  /** Rows of one kind (or all), oldest first, optionally from a time on. */
  read(filter: { kind?: JournalKind; since?: number; limit?: number } = {}): JournalRow[] {
    // Rows appended a moment ago are part of what was asked for.
    this.flush();
    const rows = this.db
      .prepare('SELECT seq, at, kind, body FROM entries WHERE (?1 IS NULL OR kind = ?1) AND at >= ?2 ORDER BY seq LIMIT ?3')
      .all(filter.kind ?? null, filter.since ?? 0, filter.limit ?? -1) as { seq: number; at: number; kind: JournalKind; body: string }[];
    return rows.map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, body: JSON.parse(r.body) as unknown }));
  }

  /**
   * The journal screen's query: newest first, filtered by kinds, a time range and a text the body
   * contains (matched in SQL with LIKE, its wildcards escaped), with how many rows match in all.
   */
  query(q: { kinds: readonly JournalKind[]; from: number | null; to: number | null; text: string; limit: number }): { rows: { seq: number; at: number; kind: JournalKind; body: string; hash: string }[]; total: number } {
    this.flush();
    const kinds = q.kinds.length ? JSON.stringify(q.kinds) : null;
    const like = q.text ? `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const where = `WHERE (?1 IS NULL OR kind IN (SELECT value FROM json_each(?1))) AND (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3) AND (?4 IS NULL OR body LIKE ?4 ESCAPE '\\')`;
    const args = [kinds, q.from, q.to, like] as const;
    const total = (this.db.prepare(`SELECT count(*) AS n FROM entries ${where}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT seq, at, kind, body, hash FROM entries ${where} ORDER BY seq DESC LIMIT ?5`).all(...args, q.limit) as { seq: number; at: number; kind: JournalKind; body: string; hash: Uint8Array }[];
    return { rows: rows.map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, body: r.body, hash: Buffer.from(r.hash).toString('hex') })), total };
  }

  /** Where the journal lives (null in memory). */
  get path(): string | null {
    return this.file === ':memory:' ? null : this.file;
  }

  get rows(): number {
    return this.lastSeq;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
