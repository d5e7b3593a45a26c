import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignatureJournal } from '../../../electron/vault/signature-journal.ts';

/* The journal is read at every start: no line in it, however it got there, may stop the app. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-journal-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const now = Date.UTC(2026, 11, 1, 12);
const line = (at: number, notionalUsd: number): string =>
  JSON.stringify({ at, outcome: 'signed', signer: { kind: 'local', address: '0xabc', keyId: 'k', role: 'agent' }, scheme: 'hl-l1', summary: 'order', digest: '0x', intent: { kind: 'order', notionalUsd }, limits: null, usageBefore: null, refusal: null });

describe('signature journal', () => {
  it('skips and counts lines it cannot use — null, a number, half a line, a line without fields — and keeps the rest', async () => {
    const file = path.join(dir, 'signatures.jsonl');
    await writeFile(file, [line(now - 3_600_000, 500), 'null', '42', '"text"', '{"at":1', '{}', '[]', JSON.stringify({ at: now, outcome: 'signed', intent: null }), line(now - 60_000, 250), ''].join('\n'));
    const j = new SignatureJournal(file, () => now);
    await j.load();
    expect(j.unreadableLines).toBe(7);
    expect(j.usage().hedgeNotionalUsd).toBe(750);
    expect((await j.recent(10)).map((e) => e.intent)).toEqual([{ kind: 'order', notionalUsd: 250 }, { kind: 'order', notionalUsd: 500 }]);
  });

  it('counts a rolling 24 hours, not a calendar day, and counts a negative amount as spent, never as credit', async () => {
    const file = path.join(dir, 'signatures.jsonl');
    await writeFile(file, [line(now - 25 * 3_600_000, 900), line(now - 23 * 3_600_000, 100), line(now - 1000, -300)].join('\n'));
    const j = new SignatureJournal(file, () => now);
    await j.load();
    expect(j.usage().hedgeNotionalUsd).toBe(400);
  });
});
