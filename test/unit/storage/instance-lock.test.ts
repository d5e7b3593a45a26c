import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstanceLockedError, LOCK_FILE, lockDataFolder } from '../../../electron/storage/instance-lock.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A pid that existed and is gone now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('one DeltaDesk per data folder', () => {
  it('a second holder is refused with who holds it; after release the folder can be taken again', async () => {
    const first = await lockDataFolder(dir, 'desktop app');
    // Another live process holds it: write its record as that process would.
    await writeFile(first.file, JSON.stringify({ pid: process.ppid, host: os.hostname(), kind: 'desktop app', startedAt: Date.UTC(2026, 11, 1, 9) }));
    const second = lockDataFolder(dir, 'browser host');
    await expect(second).rejects.toBeInstanceOf(InstanceLockedError);
    await expect(second).rejects.toThrow(`DeltaDesk is already running on this data folder (the desktop app, process ${process.ppid}, since 2026-12-01 09:00 UTC). Close it first`);
    await rm(first.file);
    const again = await lockDataFolder(dir, 'browser host');
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, kind: 'browser host' });
    await again.release();
    await expect(readFile(path.join(dir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('takes over a lock left by a process that is gone, or a damaged lock file', async () => {
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: os.hostname(), kind: 'browser host', startedAt: 0 }));
    const lock = await lockDataFolder(dir, 'desktop app');
    await lock.release();
    await writeFile(path.join(dir, LOCK_FILE), 'garbage');
    await (await lockDataFolder(dir, 'desktop app')).release();
  });
});
