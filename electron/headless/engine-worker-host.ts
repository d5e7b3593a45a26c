import { Worker } from 'node:worker_threads';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
import { EngineClient, engineRestartDelayMs, type EngineReady, type EngineSigner } from '../border/engine-client.ts';
import { EngineSession, type EngineHealth } from '../border/engine-session.ts';
import type { EngineBoot, EngineToHost } from '../engine/host-protocol.ts';

/**
 * Hosts the engine in a worker thread, the headless counterpart of Electron's utility process,
 * and like it restarts a crashed engine (with backoff) while pages keep their frame listeners.
 */
export class EngineWorkerHost {
  private worker: Worker | null = null;
  private client: EngineClient | null = null;
  private restarts = 0;
  private stopping = false;
  private readonly session = new EngineSession();
  private signer: EngineSigner | null = null;
  private readonly frameListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly entry: URL;
  private boot: EngineBoot;
  /** Set while a restart on a new boot (a network switch) is under way: not a crash. */
  private rebooting = false;
  /** Resolves with the first successful start. */
  readonly ready: Promise<EngineReady>;

  private resolveFirst!: (r: EngineReady) => void;
  private rejectFirst!: (e: Error) => void;

  constructor(entry: URL, boot: EngineBoot) {
    this.entry = entry;
    this.boot = boot;
    this.ready = new Promise((res, rej) => {
      this.resolveFirst = res;
      this.rejectFirst = rej;
    });
    this.start();
  }

  /** What the running engine reported at its start; waits for a restart under way. */
  current(): Promise<EngineReady> {
    return this.session.current();
  }

  async request(name: string, payload: unknown): Promise<CommandResult<unknown>> {
    if (!this.client) return fail('unavailable', 'the engine is restarting; try again in a moment');
    const result = await this.client.request(name, payload);
    this.session.observe(name, payload, result);
    return result;
  }

  /** Main's signer, answering the engine's `sign` requests (set once the vault exists). */
  setSigner(signer: EngineSigner): void {
    this.signer = signer;
  }

  /**
   * Restarts the engine on a new boot (the venues moved networks). It stops in order first, so
   * its journal is closed and nothing is half sent; live orders are read back and reconciled.
   */
  reboot(boot: EngineBoot): void {
    this.boot = boot;
    this.rebooting = true;
    this.worker?.postMessage({ type: 'stop' });
    setTimeout(() => void this.worker?.terminate(), 200);
  }

  get health(): EngineHealth {
    return this.session.snapshot;
  }

  onFrame(listener: (bytes: Uint8Array) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** Asks the engine to put its whole state in the next frame (a page just connected). */
  republish(): void {
    this.worker?.postMessage({ type: 'republish' });
  }

  /** The host's pages drew `n` more frames (frame-aligned publishing: the engine's credit). */
  drawn(n: number): void {
    this.worker?.postMessage({ type: 'drawn', n });
  }

  /** Tests only: ends the engine's thread as a crash would, so the restart path can be watched. */
  crashForTest(): void {
    void this.worker?.terminate();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker?.terminate();
  }

  private start(): void {
    const worker = new Worker(this.entry);
    this.worker = worker;
    const listeners = new Set<(m: EngineToHost) => void>();
    worker.on('message', (m: EngineToHost) => listeners.forEach((l) => l(m)));
    const client = new EngineClient({ post: (m) => worker.postMessage(m), onMessage: (l) => listeners.add(l) }, undefined, () => this.signer);
    this.client = client;
    client.onFrame((bytes) => this.frameListeners.forEach((l) => l(bytes)));
    client.ready.then(
      (r) => {
        this.restarts = 0;
        this.session.running(r);
        this.resolveFirst(r);
      },
      (err: Error) => this.rejectFirst(err),
    );
    worker.on('error', (err: Error) => console.error(`DeltaDesk engine crashed: ${err.message}`));
    worker.on('exit', (code) => {
      client.failPending(`engine stopped (exit code ${code})`);
      if (this.client === client) this.client = null;
      if (this.stopping) return;
      if (this.rebooting) {
        this.rebooting = false;
        this.session.stopped('restarting on the new network settings', true);
        this.start();
        return;
      }
      this.session.stopped(`the engine stopped (exit code ${code})`);
      this.restarts++;
      setTimeout(() => this.start(), engineRestartDelayMs(this.restarts));
    });
    worker.postMessage({ type: 'start', boot: this.session.boot(this.boot) });
    worker.postMessage({ type: 'attach-stream' });
  }
}
