/*
 * Locks the vault when nobody is there: no activity in the app (and, in Electron, on the whole
 * system) for the configured minutes, or after twelve hours unlocked whatever happens. Suspend
 * and screen lock are wired by the Electron host (powerMonitor) straight to a lock.
 */
export const MAX_UNLOCKED_MS = 12 * 3_600_000;
const CHECK_EVERY_MS = 5_000;

export interface AutoLockDeps {
  now: () => number;
  isUnlocked: () => boolean;
  idleLimitMs: () => number;
  lock: (reason: string) => void;
  systemIdleMs?: () => number;
}

export class AutoLock {
  private lastActivity: number;
  private unlockedSince: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly deps: AutoLockDeps;

  constructor(deps: AutoLockDeps) {
    this.deps = deps;
    this.lastActivity = deps.now();
  }

  start(): void {
    this.timer ??= setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  touch(): void {
    this.lastActivity = this.deps.now();
  }

  /** Public for tests; runs every 5 s. */
  check(): void {
    const now = this.deps.now();
    if (!this.deps.isUnlocked()) {
      this.unlockedSince = null;
      return;
    }
    this.unlockedSince ??= now;
    const limit = this.deps.idleLimitMs();
    const appIdle = now - this.lastActivity;
    const systemIdle = this.deps.systemIdleMs?.() ?? 0;
    const minutes = Math.round(limit / 60_000);
    if (appIdle >= limit && (this.deps.systemIdleMs === undefined || systemIdle >= limit)) this.deps.lock(`idle for ${minutes} min`);
    else if (systemIdle >= limit) this.deps.lock(`computer idle for ${minutes} min`);
    else if (now - this.unlockedSince >= MAX_UNLOCKED_MS) this.deps.lock('unlocked for 12 h: unlock again');
  }
}
