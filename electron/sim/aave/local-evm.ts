import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

/*
 * A local EVM for paper mode and tests: anvil (Foundry), from its npm package. It is a
 * development dependency, so `npm start` has it; a packaged app without it runs paper mode
 * without Aave and says why. Ready in about 0.1 s; killed with the simulator.
 */

export interface LocalEvm {
  url: string;
  chainId: number;
  stop(): Promise<void>;
}

/** Anvil's first funded development account (public knowledge: never holds anything real). */
export const DEV_DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

/** Where the anvil binary for this platform is, or why there is none. */
export function anvilBinary(): string | { missing: string } {
  const arch = ARCH[process.arch];
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch ?? process.arch}`;
  try {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  } catch {
    return { missing: `the local EVM (${pkg}) is not installed: run npm install (it comes with the development dependencies)` };
  }
}

/*
 * Anvil runs under a small guard process that holds a pipe from us: when this process (or the
 * simulator's thread) goes away for any reason, the pipe closes and the guard ends anvil. A
 * node left behind on a port would otherwise outlive a crashed app.
 */
const GUARD = `
const { spawn } = require('node:child_process');
const [bin, ...args] = JSON.parse(process.argv[1]);
const c = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const stop = () => { try { c.kill(); } catch {} };
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
c.on('exit', (code) => process.exit(code ?? 1));
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function rpc(url: string, method: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }) });
  return ((await res.json()) as { result: unknown }).result;
}

export async function startLocalEvm(options: { chainId?: number; timeoutMs?: number } = {}): Promise<LocalEvm> {
  const bin = anvilBinary();
  if (typeof bin !== 'string') throw new Error(bin.missing);
  const chainId = options.chainId ?? 31337;
  const port = await freePort();
  const args = [bin, '--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent'];
  // Electron's binary runs the guard as plain Node with this variable set.
  const child: ChildProcess = spawn(process.execPath, ['-e', GUARD, JSON.stringify(args)], { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the local EVM exited at start (code ${child.exitCode}): ${stderr.trim() || 'no output'}`);
    try {
      if (Number(await rpc(url, 'eth_chainId')) === chainId) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      child.stdin?.end();
      throw new Error('the local EVM did not answer within its start time');
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    chainId,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}
