import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { unlinkSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * One running DeltaDesk per data folder. Two copies on one folder would share a vault and an
 * agent, and could both hedge the same account: each would see the other's orders as a surprise
 * and "fix" them. The lock is a file created exclusively (O_EXCL) holding who holds it; a lock
 * left by a process that is gone (a crash, a power cut) is taken over. Electron also takes its
 * single-instance lock; this file is what the headless host and Electron both honour.
 */

export const LOCK_FILE = 'deltadesk.lock';

interface Holder {
  pid: number;
  host: string;
  kind: string;
  startedAt: number;
}

export class InstanceLockedError extends Error {
  override name = 'InstanceLockedError';
  readonly holder: Holder | null;
  constructor(message: string, holder: Holder | null) {
    super(message);
    this.holder = holder;
  }
}

export interface InstanceLock {
  file: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): Holder | null {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.kind === 'string' && typeof h.startedAt === 'number' ? (h as Holder) : null;
  } catch {
    return null;
  }
}

/** Takes the data folder for this process, or throws InstanceLockedError saying who has it. */
export async function lockDataFolder(dir: string, kind: 'desktop app' | 'browser host', now: () => number = Date.now): Promise<InstanceLock> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: os.hostname(), kind, startedAt: now() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const releaseSync = (): void => {
        try {
          if (parseHolder(readFileSync(file, 'utf8'))?.pid === me.pid) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', releaseSync);
      return {
        file,
        release: async () => {
          process.off('exit', releaseSync);
          const holder = parseHolder(await readFile(file, 'utf8').catch(() => ''));
          if (holder?.pid === me.pid) await unlink(file).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = parseHolder(await readFile(file, 'utf8').catch(() => ''));
    const sameMachine = holder?.host === me.host;
    if (holder && (!sameMachine || alive(holder.pid)) && holder.pid !== me.pid) {
      const where = sameMachine ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
      throw new InstanceLockedError(
        `DeltaDesk is already running on this data folder (the ${holder.kind}, ${where}, since ${new Date(holder.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC). Close it first: two copies must never trade one account. Folder: ${dir}`,
        holder,
      );
    }
    // Left by a process that is gone, unreadable, or our own: take it over.
    await unlink(file).catch(() => undefined);
  }
  throw new InstanceLockedError(`could not take the lock on ${file}; another DeltaDesk may be starting at the same moment`, null);
}
