import { randomBytes } from 'node:crypto';
import { copyFile, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { describeIssues } from '../../shared/contract/validate.ts';

/**
 * Replaces `file` with `data` so that a crash at any point leaves either the old file or the new
 * one, never a mix: write a temp file beside it, fsync it, rename it over the original (atomic on
 * the same file system), then fsync the folder so the rename itself survives a power cut.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    // A full disk fails the write or the fsync: the half-written temp file must not stay behind.
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await syncFolder(path.dirname(file));
}

async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; there the rename is durable enough through NTFS's log.
  if (process.platform === 'win32') return;
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Where a damaged file is kept beside itself: `<file>.damaged-<UTC time>`. */
export function damagedCopyName(file: string, now: number): string {
  return `${file}.damaged-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}

export type JsonLoad<T> =
  | { state: 'missing' }
  | { state: 'loaded'; value: T }
  /** The file exists but cannot be used; it is left untouched and a copy is kept beside it. */
  | { state: 'damaged'; reason: string; keptAs: string | null };

/**
 * Reads a JSON settings file and checks it against its schema. A damaged file is never replaced
 * silently: a copy named `<file>.damaged-<time>` is kept for the trader (or us) to inspect, and
 * the reason says what is wrong.
 */
export async function loadJsonFile<T>(file: string, schema: z.ZodType<T>, now: number = Date.now(), keepCopy = true): Promise<JsonLoad<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'damaged', reason: `cannot read: ${(err as Error).message}`, keptAs: null };
  }
  let reason: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { state: 'loaded', value: parsed.data };
    reason = `unexpected content: ${describeIssues(parsed.error)}`;
  } catch (err) {
    reason = `not valid JSON: ${(err as Error).message}`;
  }
  if (!keepCopy) return { state: 'damaged', reason, keptAs: null };
  const keptAs = damagedCopyName(file, now);
  try {
    await copyFile(file, keptAs);
    return { state: 'damaged', reason, keptAs };
  } catch {
    return { state: 'damaged', reason, keptAs: null };
  }
}
