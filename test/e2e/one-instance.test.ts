import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';

/* Two copies on one data folder could both hedge the same account: the second is refused. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let app: RunningApp;

beforeAll(async () => {
  app = await startHeadlessApp();
});
afterAll(() => app?.stop());

describe('one DeltaDesk per data folder', () => {
  it('a second headless host on the same folder exits at once, saying who holds it', () => {
    const second = spawnSync(process.execPath, [path.join(root, 'out/main/headless.js'), '--port', '0', '--data-dir', app.dataDir], { encoding: 'utf8', timeout: 20_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/DeltaDesk could not start: DeltaDesk is already running on this data folder \(the browser host, process \d+, since .* UTC\)\. Close it first/);
    expect(second.stdout).not.toMatch(/Open:/);
  });

  it('the first one is unharmed and still answers', async () => {
    expect((await app.command('app.info', {})).ok).toBe(true);
  });
});
