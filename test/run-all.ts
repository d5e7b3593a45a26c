import { spawnSync } from 'node:child_process';
import { ensureChromium } from './support/ensure-chromium.ts';

/*
 * `npm test`: type-check, lint, build, then every vitest project (unit, renderer, integration,
 * packaging, end-to-end in Chromium). The last line is always `N passed, N failed`.
 */
const steps: [string, string[]][] = [
  ['typecheck', ['run', 'typecheck']],
  ['lint', ['run', 'lint']],
  ['build', ['run', 'build']],
];

function npm(args: string[]): number {
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status ?? 1;
}

function stop(what: string): never {
  console.error(`\n${what}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const browserProblem = ensureChromium();
if (browserProblem) stop(`Cannot run the end-to-end tests: ${browserProblem}`);
for (const [name, args] of steps) {
  console.log(`\n=== ${name} ===`);
  if (npm(args) !== 0) stop(`${name} failed`);
}
console.log('\n=== tests ===');
// The summary reporter prints the closing `N passed, N failed` line.
process.exit(npm(['exec', '--', 'vitest', 'run']));
