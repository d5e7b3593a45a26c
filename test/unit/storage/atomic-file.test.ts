import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadJsonFile, writeFileAtomic } from '../../../electron/storage/atomic-file.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'deltadesk-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomic file writes', () => {
  it('a write that fails part way (a full disk) leaves the old file and no temp file behind', async () => {
    const file = path.join(dir, 'vault.json');
    await writeFile(file, 'old contents');
    // The data arrives in chunks; the disk fills after the first one.
    async function* fillsTheDisk(): AsyncGenerator<Uint8Array> {
      await Promise.resolve();
      yield new Uint8Array(64 * 1024).fill(65);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    await expect(writeFileAtomic(file, fillsTheDisk() as unknown as Uint8Array)).rejects.toThrow(/ENOSPC/);
    expect(await readFile(file, 'utf8')).toBe('old contents');
    expect(await readdir(dir)).toEqual(['vault.json']);
  });

  it('a writer killed at any moment leaves the old file or the new one, never a mix', async () => {
    const file = path.join(dir, 'settings.json');
    const old = JSON.stringify({ v: 'old', pad: 'o'.repeat(1_000_000) });
    const next = JSON.stringify({ v: 'new', pad: 'n'.repeat(4_000_000) });
    const seen = new Set<string>();
    const writer = path.join(here, '../../../electron/storage/atomic-file.ts');
    for (let i = 0; i < 12; i++) {
      await writeFile(file, old);
      const script = `import { writeFileAtomic } from ${JSON.stringify(writer)}; const data = JSON.stringify({ v: 'new', pad: 'n'.repeat(4_000_000) }); process.stdout.write('go\\n'); await writeFileAtomic(${JSON.stringify(file)}, data);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => child.stdout.once('data', r));
      // Kill the writer at a different point each round: during the write, around the rename, after.
      await new Promise((r) => setTimeout(r, i * 3));
      child.kill('SIGKILL');
      await exited;
      const text = await readFile(file, 'utf8');
      expect([old, next]).toContain(text);
      seen.add(text === old ? 'old' : 'new');
    }
    // Both outcomes happened, so the kill really landed on both sides of the rename.
    expect(seen).toEqual(new Set(['old', 'new']));
  }, 30_000);

  it('replaces the file and leaves no temp file behind', async () => {
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, '1');
    await writeFileAtomic(file, '2');
    expect(await readFile(file, 'utf8')).toBe('2');
    expect(await readdir(dir)).toEqual(['a.json']);
  });
});

describe('loading a settings file', () => {
  const schema = z.object({ n: z.number() });

  it('tells missing, loaded and damaged apart, and keeps a copy of a damaged file', async () => {
    const file = path.join(dir, 's.json');
    expect(await loadJsonFile(file, schema)).toEqual({ state: 'missing' });
    await writeFile(file, '{"n": 3}');
    expect(await loadJsonFile(file, schema)).toEqual({ state: 'loaded', value: { n: 3 } });
    await writeFile(file, '{"n": "three"}');
    const damaged = await loadJsonFile(file, schema, Date.UTC(2026, 10, 25));
    if (damaged.state !== 'damaged') throw new Error(`expected damaged, got ${damaged.state}`);
    expect(damaged.reason).toMatch(/^unexpected content: n: /);
    expect(await readFile(damaged.keptAs!, 'utf8')).toBe('{"n": "three"}');
    // The original stays where it was, untouched.
    expect(await readFile(file, 'utf8')).toBe('{"n": "three"}');
  });
});
