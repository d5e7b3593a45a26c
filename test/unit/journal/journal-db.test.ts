import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineJournal } from '../../../electron/engine/journal/journal-db.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-journal-db-'));
  file = path.join(dir, 'journal.sqlite');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const fillBody = (i: number) => ({ clientId: `0x${i.toString(16).padStart(32, '0')}`, size: 0.01, price: 97_000 + i });

/** Opens the file as someone outside DeltaDesk would, triggers and all removed. */
function tamper(sql: string): void {
  const db = new DatabaseSync(file);
  db.exec('DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;');
  db.exec(sql);
  db.close();
}

describe('the engine journal', () => {
  it('writes 1,000 rows appended at once, in group commits, and reads them back after a reopen, chain verified', async () => {
    const j = new EngineJournal(file);
    await Promise.all(Array.from({ length: 1000 }, (_, i) => j.append(i % 2 ? 'fill' : 'order-event', fillBody(i), 1_764_600_000_000 + i)));
    j.close();
    const again = new EngineJournal(file);
    expect(again.report).toEqual({ rows: 1000, damaged: null });
    const fills = again.read({ kind: 'fill' });
    expect(fills).toHaveLength(500);
    expect(fills[0]).toEqual({ seq: 2, at: 1_764_600_000_001, kind: 'fill', body: fillBody(1) });
    expect(again.read({ since: 1_764_600_000_998 }).map((r) => r.seq)).toEqual([999, 1000]);
    await again.append('position', { coin: 'BTC', size: -4 });
    expect(again.rows).toBe(1001);
    again.close();
  });

  it('refuses UPDATE and DELETE, whoever asks', async () => {
    const j = new EngineJournal(file);
    await j.append('order', { clientId: '0x1' });
    j.close();
    const db = new DatabaseSync(file);
    expect(() => db.exec("UPDATE entries SET body = '{}'")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM entries')).toThrow(/append-only/);
    db.close();
  });

  const damages: [string, string, RegExp][] = [
    ['a row edited outside DeltaDesk', `UPDATE entries SET body = '{"clientId":"0x1","size":100}' WHERE seq = 2`, /row 2 was changed outside DeltaDesk/],
    ['a row removed', 'DELETE FROM entries WHERE seq = 2', /row 2 is missing/],
    ['the last row removed and an earlier one changed to match', `DELETE FROM entries WHERE seq = 3; UPDATE entries SET at = 5 WHERE seq = 1`, /row 1 was changed/],
  ];
  for (const [what, sql, reason] of damages) {
    it(`${what}: found at open, the file kept beside it, a new journal started`, async () => {
      const j = new EngineJournal(file);
      for (let i = 0; i < 3; i++) await j.append('order', fillBody(i));
      j.close();
      tamper(sql);
      const reopened = new EngineJournal(file);
      expect(reopened.report.damaged?.reason).toMatch(reason);
      expect(reopened.report.rows).toBe(0);
      const kept = reopened.report.damaged!.keptAs;
      expect((await readdir(dir)).some((n) => path.join(dir, n) === kept)).toBe(true);
      await reopened.append('order', { fresh: true });
      expect(reopened.read()).toHaveLength(1);
      reopened.close();
    });
  }

  it('a file that is not a database is kept byte for byte and a new journal starts', async () => {
    await writeFile(file, 'this is not sqlite at all, just text that someone saved here');
    const j = new EngineJournal(file);
    expect(j.report.damaged?.reason).toMatch(/not a database|file is not a database/i);
    expect(await readFile(j.report.damaged!.keptAs, 'utf8')).toBe('this is not sqlite at all, just text that someone saved here');
    await j.append('alert', { level: 'info' });
    j.close();
  });

  it('refuses a row with no JSON body and rows after close, losing nothing already written', async () => {
    const j = new EngineJournal(file);
    await j.append('order', { ok: 1 });
    await expect(j.append('order', undefined)).rejects.toThrow(/needs a JSON body/);
    j.close();
    await expect(j.append('order', {})).rejects.toThrow(/closed/);
    const reread = new EngineJournal(file);
    expect(reread.report.rows).toBe(1);
    reread.close();
  });
});
