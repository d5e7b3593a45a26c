import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPackage } from '@electron/asar';

/*
 * `npm run package:check`: packages the built app with a stand-in Electron (the real binary
 * cannot be downloaded on build machines) and checks what app.asar holds. Exits non-zero with
 * the list of problems.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'release/check');

export const REQUIRED = ['/package.json', '/out/main/index.js', '/out/main/engine.js', '/out/main/engine-worker.js', '/out/main/sim-worker.js', '/out/main/passphrase-worker.js', '/out/main/headless.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/out/renderer/icon.png'];
export const REQUIRED_MODULES = ['zod', 'ws', '@msgpack/msgpack'];
/** Renderer-only and tooling packages are bundled or unused at run time and must not ship. */
export const DEV_ONLY = ['react', 'react-dom', 'zustand', 'lightweight-charts', 'electron', 'electron-vite', 'vite', 'vitest', 'typescript', 'playwright-core', 'eslint', 'jsdom', 'node', 'fast-check', '@electron/fuses'];

export function problemsIn(files: string[]): string[] {
  const set = new Set(files.map((f) => f.replaceAll('\\', '/')));
  const problems: string[] = [];
  for (const f of REQUIRED) if (!set.has(f)) problems.push(`missing ${f}`);
  for (const m of REQUIRED_MODULES) if (!set.has(`/node_modules/${m}/package.json`)) problems.push(`missing runtime dependency ${m}`);
  for (const m of DEV_ONLY) if (set.has(`/node_modules/${m}/package.json`)) problems.push(`dev-only package shipped: ${m}`);
  for (const f of set) {
    if (f.endsWith('.map')) problems.push(`source map shipped: ${f}`);
    if (/^\/(test|bench|electron|renderer|shared)\//.test(f)) problems.push(`source or test file shipped: ${f}`);
    if (/\.test\.[jt]sx?$/.test(f) && !f.startsWith('/node_modules/')) problems.push(`test shipped: ${f}`);
  }
  return problems;
}

export function packageAndCheck(): { asar: string; files: string[]; problems: string[] } {
  rmSync(outDir, { recursive: true, force: true });
  const cli = path.join(root, 'node_modules/electron-builder/cli.js');
  const run = spawnSync(
    process.execPath,
    [cli, '--config', 'build/electron-builder.yml', '--linux', 'dir', '-c.electronDist=build/stand-in-electron', `-c.directories.output=${path.relative(root, outDir)}`],
    { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_BUILDER_CACHE: path.join(outDir, '.cache') } },
  );
  if (run.status !== 0) throw new Error(`electron-builder failed:\n${run.stdout}\n${run.stderr}`);
  const asar = path.join(outDir, 'linux-unpacked/resources/app.asar');
  if (!existsSync(asar)) throw new Error(`no app.asar at ${asar}`);
  const files = listPackage(asar, { isPack: false });
  return { asar, files, problems: problemsIn(files) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { asar, files, problems } = packageAndCheck();
  if (problems.length) {
    console.error(`Package check failed for ${path.relative(root, asar)}:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`Package check passed: ${files.length} entries in ${path.relative(root, asar)}; main, preload and renderer present; no tests, source maps or dev-only packages.`);
}
