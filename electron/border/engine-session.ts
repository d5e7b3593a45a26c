import type { CommandResult } from '../../shared/contract/result.ts';
import type { EngineBoot } from '../engine/host-protocol.ts';
import type { EngineReady } from './engine-client.ts';

export interface EngineHealth {
  state: 'starting' | 'running' | 'restarting';
  /** Restarts since the app started. */
  restarts: number;
  /** When the current state began (ms since epoch). */
  since: number;
  /** Why the engine last stopped, for the banner. */
  lastExit: string | null;
}

type SavedWhatIf = NonNullable<EngineBoot['whatIfs']>[number];

/**
 * What a host keeps about its engine across restarts: the session's what-ifs (they live in the
 * engine's memory and would vanish with it), and the engine's health for the screen. Both hosts
 * (Electron main and the headless host) keep one.
 */
export class EngineSession {
  private readonly whatIfs = new Map<string, SavedWhatIf>();
  private health: EngineHealth;
  private readonly now: () => number;
  private latest: Promise<EngineReady> | null = null;
  private resolveNext: ((r: EngineReady) => void) | null = null;

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.health = { state: 'starting', restarts: 0, since: now(), lastExit: null };
  }

  /** The boot for the next start, with the what-ifs to restore. */
  boot(base: EngineBoot): EngineBoot {
    return this.whatIfs.size ? { ...base, whatIfs: [...this.whatIfs.values()] } : base;
  }

  /** Sees every engine answer go by and remembers what-ifs added and removed. */
  observe(name: string, payload: unknown, result: CommandResult<unknown>): void {
    if (!result.ok) return;
    if (name === 'portfolio.whatIf.add') {
      const v = result.value as { id: string; entry: number };
      this.whatIfs.set(v.id, { id: v.id, request: payload, entry: v.entry });
    } else if (name === 'portfolio.whatIf.remove') {
      const id = (payload as { id: string | null }).id;
      if (id === null) this.whatIfs.clear();
      else this.whatIfs.delete(id);
    }
  }

  get snapshot(): EngineHealth {
    return { ...this.health };
  }

  /**
   * What the running engine reported at its start. While it restarts this waits for the next one
   * (its simulator listens on new ports), so no caller is handed a dead address.
   */
  current(): Promise<EngineReady> {
    if (!this.latest) this.latest = new Promise((resolve) => (this.resolveNext = resolve));
    return this.latest;
  }

  running(ready: EngineReady): void {
    this.health = { ...this.health, state: 'running', since: this.now() };
    this.resolveNext?.(ready);
    this.resolveNext = null;
    this.latest = Promise.resolve(ready);
  }

  /** `planned`: a restart the trader asked for (a network switch), not counted as a crash. */
  stopped(reason: string, planned = false): void {
    this.health = { state: 'restarting', restarts: this.health.restarts + (planned ? 0 : 1), since: this.now(), lastExit: reason };
    if (!this.resolveNext) this.latest = null;
  }
}
