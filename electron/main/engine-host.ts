import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { EngineClient, engineRestartDelayMs, type EngineReady, type EngineSigner } from '../border/engine-client.ts';
import { EngineSession, type EngineHealth } from '../border/engine-session.ts';
import type { CommandResult } from '../../shared/contract/result.ts';
import type { EngineBoot, EngineToHost } from '../engine/host-protocol.ts';
import { IPC } from '../../shared/contract/terminal-api.ts';
import type { Alert } from '../../shared/domain/alerts.ts';

/**
 * Runs the engine in a utility process (own heap, own event loop, crash isolation) and restarts it
 * if it dies. Frames go from the engine straight to the window over a MessagePort.
 */
export class EngineHost {
  private child: UtilityProcess | null = null;
  private clientValue: EngineClient | null = null;
  private restarts = 0;
  private stopping = false;
  private readonly session = new EngineSession();
  private signer: EngineSigner | null = null;
  private readonly windows = new Set<WebContents>();
  private alertListener: ((alert: Alert) => void) | null = null;

  private readonly entry: string;
  private boot: EngineBoot;
  /** Set while a restart on a new boot (a network switch) is under way: not a crash. */
  private rebooting = false;

  constructor(entry: string, boot: EngineBoot) {
    this.entry = entry;
    this.boot = boot;
  }

  get client(): EngineClient {
    if (!this.clientValue) throw new Error('engine not started');
    return this.clientValue;
  }

  /** Main's signer, answering the engine's `sign` requests (set once the vault exists). */
  setSigner(signer: EngineSigner): void {
    this.signer = signer;
  }

  /** Critical alerts from whichever engine is running (main notifies the desktop). */
  onAlert(listener: (alert: Alert) => void): void {
    this.alertListener = listener;
  }

  /** The boot of the first start (the network settings are read after construction). */
  useBoot(boot: EngineBoot): void {
    if (this.child) throw new Error('the engine has started: use reboot');
    this.boot = boot;
  }

  /**
   * Restarts the engine on a new boot (the venues moved networks). It stops in order first, so
   * its journal is closed and nothing is half sent; live orders are read back and reconciled.
   */
  reboot(boot: EngineBoot): void {
    this.boot = boot;
    this.rebooting = true;
    this.child?.postMessage({ type: 'stop' });
    setTimeout(() => this.child?.kill(), 200);
  }

  get health(): EngineHealth {
    return this.session.snapshot;
  }

  /** What the running engine reported at its start; during a restart, waits for the next one. */
  current(): Promise<EngineReady> {
    return this.session.current();
  }

  /** Engine commands go through here, so the what-ifs of the session survive a restart. */
  async request(name: string, payload: unknown): Promise<CommandResult<unknown>> {
    const result = await this.client.request(name, payload);
    this.session.observe(name, payload, result);
    return result;
  }

  start(): void {
    const child = utilityProcess.fork(this.entry, [], { serviceName: 'DeltaDesk engine', stdio: 'inherit' });
    this.child = child;
    const listeners = new Set<(m: EngineToHost) => void>();
    child.on('message', (m: EngineToHost) => listeners.forEach((l) => l(m)));
    this.clientValue = new EngineClient(
      {
        post: (message) => child.postMessage(message),
        onMessage: (l) => listeners.add(l),
      },
      undefined,
      () => this.signer,
    );
    this.clientValue.onAlert((alert) => this.alertListener?.(alert));
    child.on('exit', (code) => {
      this.clientValue?.failPending(`engine stopped (exit code ${code})`);
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
    child.postMessage({ type: 'start', boot: this.session.boot(this.boot) });
    void this.clientValue.ready.then((ready) => {
      // A good start ends the crash streak: the next crash restarts after the shortest delay.
      this.restarts = 0;
      this.session.running(ready);
      for (const w of this.windows) this.connectWindow(w);
    });
  }

  /** Gives a window its own stream port; called on every load, so a reload reconnects. */
  attachWindow(contents: WebContents): void {
    this.windows.add(contents);
    contents.once('destroyed', () => this.windows.delete(contents));
    void this.clientValue?.ready.then(() => this.connectWindow(contents));
  }

  stop(): void {
    this.stopping = true;
    this.child?.postMessage({ type: 'stop' });
    this.child?.kill();
  }

  private connectWindow(contents: WebContents): void {
    if (contents.isDestroyed() || !this.child) return;
    const { port1, port2 } = new MessageChannelMain();
    this.child.postMessage({ type: 'attach-stream' }, [port1]);
    contents.postMessage(IPC.streamPort, null, [port2]);
  }
}
