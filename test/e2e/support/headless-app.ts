import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { WebSocket } from 'ws';
import { rawText } from '../../../electron/venues/common/ws-text.ts';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface RunningApp {
  /** As printed: `http://127.0.0.1:PORT/#token=…`. */
  url: string;
  /** The launch token from the printed URL's fragment. */
  token: string;
  origin: string;
  /** Hyperliquid-wire simulator faults. */
  fault(command: Record<string, unknown>): Promise<void>;
  /** Deribit-wire simulator faults (misquote, gap, …). */
  deribitFault(command: Record<string, unknown>): Promise<void>;
  /** Derive-wire simulator faults (misquote, drop, stall, …). */
  deriveFault(command: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
  output(): string;
  /** The app's user-data folder for this run (settings, keymap), removed on stop. */
  dataDir: string;
  /** Ends the engine's thread as a crash would (the host restarts it). */
  crashEngine(): void;
  /** Sends a command as the page would, over its own bridge connection. */
  command(name: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
}

/** Starts the built headless host (`out/main/headless.js`) with the simulator's fault endpoint on. */
export async function startHeadlessApp(extraArgs: string[] = []): Promise<RunningApp> {
  const entry = path.join(root, 'out/main/headless.js');
  // Each run gets its own user-data folder: no test reads or leaves settings in the home folder.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'deltadesk-data-'));
  // The local Aave market only where a test asks for it ('--paper-aave'): it costs a second of CPU at every start.
  const args = extraArgs.includes('--paper-aave') ? extraArgs.filter((a) => a !== '--paper-aave') : ['--no-paper-aave', ...extraArgs];
  const child: ChildProcess = spawn(process.execPath, [entry, '--port', '0', '--sim-control', '--seed', '7', '--data-dir', dataDir, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 20_000;
  while (!/Open: (\S+)/.test(out) || !/SIM_CONTROL (\{.*\})/.test(out)) {
    if (child.exitCode !== null) throw new Error(`headless host exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`headless host did not start within 20 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /Open: (\S+)/.exec(out)![1]!;
  const control = JSON.parse(/SIM_CONTROL (\{.*\})/.exec(out)![1]!) as { url: string; deribitUrl: string; deriveUrl: string; token: string };
  const post = async (url: string, command: Record<string, unknown>): Promise<void> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-control': control.token },
      body: JSON.stringify(command),
    });
    if (!res.ok) throw new Error(`fault ${JSON.stringify(command)} refused: ${res.status} ${await res.text()}`);
  };
  let nextId = 1;
  const command = async (name: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> => {
    const ws = openBridgeSocket(url);
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const id = nextId++;
      const answer = new Promise<{ ok: boolean }>((resolve) => {
        ws.on('message', (data, isBinary) => {
          if (isBinary) return;
          const msg = JSON.parse(rawText(data)) as { id: number | null; result: { ok: boolean } };
          if (msg.id === id) resolve(msg.result);
        });
      });
      ws.send(JSON.stringify({ id, name, payload }));
      return await answer;
    } finally {
      ws.close();
    }
  };
  return {
    url,
    token: tokenOf(url),
    dataDir,
    command,
    origin: new URL(url).origin,
    output: () => out,
    fault: (command) => post(control.url, command),
    crashEngine: () => void child.kill('SIGUSR2'),
    deribitFault: (command) => post(control.deribitUrl, command),
    deriveFault: (command) => post(control.deriveUrl, command),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function tokenOf(printedUrl: string): string {
  return new URLSearchParams(new URL(printedUrl).hash.slice(1)).get('token') ?? '';
}

/** A bridge socket as the page opens it: its own origin, the token offered as a subprotocol. */
export function openBridgeSocket(printedUrl: string): WebSocket {
  const u = new URL(printedUrl);
  return new WebSocket(`ws://${u.host}/ws`, ['deltadesk', tokenOf(printedUrl)], { origin: u.origin });
}
