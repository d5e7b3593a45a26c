import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawText } from '../../electron/venues/common/ws-text.ts';
import { openBrowser, type BrowserSession } from './support/browser.ts';

/*
 * The README's run commands, exactly as written, in a copy of the repository that has never been
 * built (what a clean clone gives a newcomer): no `out/` left over from another run can make a
 * command pass. node_modules is linked, not reinstalled.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; main: string; scripts: Record<string, string> };

/** The commands in the README's "Run" table, as written in its first column. */
function runCommands(): string[] {
  const section = readme.slice(readme.indexOf('## Run'), readme.indexOf('\n## ', readme.indexOf('## Run') + 1));
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

let clone: string;
let home: string;
let child: ChildProcess | null = null;
let browser: BrowserSession | null = null;

beforeAll(() => {
  clone = mkdtempSync(path.join(os.tmpdir(), 'deltadesk-clone-'));
  home = mkdtempSync(path.join(os.tmpdir(), 'deltadesk-home-'));
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of tracked) {
    if (!existsSync(path.join(root, file))) continue;
    mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(clone, file));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
});

afterAll(async () => {
  await browser?.close();
  if (child?.pid && child.exitCode === null) {
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }
  rmSync(clone, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe("the README's commands from a clean clone", () => {
  it('lists the run commands this test runs, and each is a script in package.json', () => {
    const commands = runCommands();
    expect(commands).toEqual(expect.arrayContaining(['npm start', 'npm run start:headless', 'npm run build']));
    for (const c of commands) {
      const script = c === 'npm start' ? 'start' : c.replace(/^npm run /, '');
      expect(pkg.scripts[script], c).toBeDefined();
    }
    expect(existsSync(path.join(clone, 'out'))).toBe(false);
  });

  it('`npm run start:headless` builds, prints a URL that answers, and the page goes live', async () => {
    // As written; only the home folder is a temporary one, so the test leaves nothing in yours.
    child = spawn('sh', ['-c', 'npm run start:headless'], { cwd: clone, detached: true, env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NPM_CONFIG_LOGLEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 100_000;
    while (!/Open: (\S+)/.test(out)) {
      if (child.exitCode !== null) throw new Error(`npm run start:headless exited with ${child.exitCode}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`no URL within 100 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /Open: (\S+)/.exec(out)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<div id="root">/);
    browser = await openBrowser();
    await browser.page.goto(url);
    await browser.page.waitForSelector('[data-testid="orderbook-body"]', { timeout: 15_000 });
    const first = Number(await browser.page.getAttribute('[data-testid="orderbook-body"]', 'data-book-time'));
    await browser.page.waitForFunction((t) => Number(document.querySelector('[data-testid="orderbook-body"]')?.getAttribute('data-book-time')) > t, first, { timeout: 10_000 });
    // The footer shows the version the build baked in, not one npm happened to pass.
    await expect.poll(() => browser!.page.locator('footer.statusbar').textContent(), { timeout: 5_000 }).toContain(`v${pkg.version}`);
    await browser.screenshot('00-readme-start-headless');
    // The settings went to the documented default folder under the (temporary) home.
    expect(existsSync(path.join(home, '.config', 'DeltaDesk', 'headless'))).toBe(true);
  }, 150_000);

  it('`npm start` runs `electron .`, whose entry and every file it loads are what the build wrote', () => {
    expect(pkg.scripts.start).toMatch(/electron-vite build && electron \.$/);
    // The build above ran in the clone: main, the engine, its workers, the preload and the page.
    for (const file of [pkg.main, 'out/main/engine.js', 'out/main/engine-worker.js', 'out/main/sim-worker.js', 'out/main/passphrase-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(existsSync(path.join(clone, file)), file).toBe(true);
    }
    const main = readFileSync(path.join(clone, pkg.main), 'utf8');
    // Files main names at run time resolve next to it.
    for (const name of ['engine.js', 'passphrase-worker.js', '../preload/index.cjs', '../renderer']) expect(main, name).toContain(name);
  });

  it('`node out/main/headless.js`, started without npm as a packaged app starts, reports the real version', async () => {
    const started = spawn(process.execPath, [path.join(clone, 'out/main/headless.js'), '--port', '0', '--data-dir', path.join(home, 'plain')], { cwd: clone, env: { PATH: process.env.PATH ?? '', HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      started.stdout.on('data', (d: Buffer) => (out += d.toString()));
      started.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const deadline = Date.now() + 20_000;
      while (!/Open: (\S+)/.test(out)) {
        if (started.exitCode !== null || Date.now() > deadline) throw new Error(`headless host did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const url = new URL(/Open: (\S+)/.exec(out)![1]!);
      const { WebSocket } = await import('ws');
      const ws = new WebSocket(`ws://${url.host}/ws`, ['deltadesk', new URLSearchParams(url.hash.slice(1)).get('token')!], { origin: url.origin });
      const info = await new Promise<unknown>((resolve, reject) => {
        ws.once('open', () => ws.send(JSON.stringify({ id: 1, name: 'app.info', payload: {} })));
        ws.on('message', (d, binary) => !binary && resolve(JSON.parse(rawText(d))));
        ws.once('error', reject);
      });
      ws.close();
      expect(info).toMatchObject({ id: 1, result: { ok: true, value: { version: pkg.version } } });
    } finally {
      started.kill('SIGKILL');
    }
  });
});
