import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engineRestartDelayMs } from '../../../electron/border/engine-client.ts';

/*
 * Electron's engine host against a utilityProcess double: a crash restarts the engine, a good
 * start ends the crash streak (so the next crash is retried at the shortest delay again), and the
 * session's what-ifs go back into the restarted engine's boot.
 */
class FakeChild extends EventEmitter {
  sent: unknown[] = [];
  postMessage(m: unknown): void {
    this.sent.push(m);
  }
  kill(): void {}
}
const children: FakeChild[] = [];
vi.mock('electron', () => ({
  utilityProcess: { fork: () => (children.push(new FakeChild()), children.at(-1)) },
  MessageChannelMain: class {
    port1 = {};
    port2 = {};
  },
}));

const { EngineHost } = await import('../../../electron/main/engine-host.ts');

beforeEach(() => {
  children.length = 0;
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

const ready = (c: FakeChild): boolean => c.emit('message', { type: 'ready', sim: null });
const bootOf = (c: FakeChild): { whatIfs?: unknown[] } => (c.sent.find((m) => (m as { type: string }).type === 'start') as { boot: { whatIfs?: unknown[] } }).boot;

describe('Electron engine host', () => {
  it('restarts a crashed engine, and a good start resets the backoff', async () => {
    const host = new EngineHost('/app/engine.js', { mode: 'paper' });
    host.start();
    ready(children[0]!);
    await vi.advanceTimersByTimeAsync(0);
    for (let crash = 1; crash <= 3; crash++) {
      children.at(-1)!.emit('exit', 1);
      // Each crash after a good start waits the first delay of the ladder, not a longer one.
      await vi.advanceTimersByTimeAsync(engineRestartDelayMs(1) - 1);
      expect(children).toHaveLength(crash);
      await vi.advanceTimersByTimeAsync(1);
      expect(children).toHaveLength(crash + 1);
      ready(children.at(-1)!);
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(host.health).toMatchObject({ state: 'running', restarts: 3 });
  });

  it('hands the session\u2019s what-ifs to the restarted engine', async () => {
    const host = new EngineHost('/app/engine.js', { mode: 'paper' });
    host.start();
    const first = children[0]!;
    ready(first);
    await vi.advanceTimersByTimeAsync(0);
    const answer = host.request('portfolio.whatIf.add', { type: 'perp', underlying: 'BTC', quantity: 2 });
    const req = first.sent.find((m) => (m as { type: string }).type === 'request') as { id: number };
    first.emit('message', { type: 'response', id: req.id, result: { ok: true, value: { id: 'what-if:session:1', entry: 97_000 } } });
    await answer;
    first.emit('exit', 1);
    expect(host.health.state).toBe('restarting');
    // Asked during the restart, the engine's address waits for the new engine.
    let current: unknown = null;
    void host.current().then((r) => (current = r));
    await vi.advanceTimersByTimeAsync(engineRestartDelayMs(1));
    expect(current).toBeNull();
    children[1]!.emit('message', { type: 'ready', sim: { httpUrl: 'http://127.0.0.1:2' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(current).toEqual({ sim: { httpUrl: 'http://127.0.0.1:2' } });
    expect(bootOf(children[1]!).whatIfs).toEqual([{ id: 'what-if:session:1', request: { type: 'perp', underlying: 'BTC', quantity: 2 }, entry: 97_000 }]);
  });
});
