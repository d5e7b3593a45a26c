import { describe, expect, it } from 'vitest';
import { EngineWorkerHost } from '../../../electron/headless/engine-worker-host.ts';
import { waitFor } from '../../support/wait.ts';

describe('headless engine host', () => {
  it('restarts a crashed engine and keeps page frame listeners attached', async () => {
    const host = new EngineWorkerHost(new URL('../../fixtures/crashy-engine.mjs', import.meta.url), { mode: 'paper' });
    const frames: Uint8Array[] = [];
    host.onFrame((b) => frames.push(b));
    await host.ready;
    expect(await host.request('venues.status', {})).toEqual({ ok: true, value: 'venues.status' });
    const crashed = await host.request('crash', {});
    expect(crashed).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    if (!crashed.ok) expect(crashed.error.message).toMatch(/exit code 3/);
    await waitFor(() => frames.length >= 2, 'frames from the restarted engine', 5000);
    await waitFor(() => host.request('market.instruments', {}).then((r) => r.ok), 'answers after restart', 5000);
    await host.stop();
  });

  it('after a restart, callers reach the new simulator; health says restarting, then running; what-ifs come back in the boot', async () => {
    const host = new EngineWorkerHost(new URL('../../fixtures/crashy-engine.mjs', import.meta.url), { mode: 'paper' });
    const first = (await host.current()).sim!.httpUrl;
    expect(host.health).toMatchObject({ state: 'running', restarts: 0 });
    await host.request('portfolio.whatIf.add', { type: 'perp', underlying: 'BTC', quantity: 1 });
    await host.request('crash', {});
    expect(host.health).toMatchObject({ state: 'restarting', restarts: 1, lastExit: 'the engine stopped (exit code 3)' });
    // Asked during the restart, current() waits for the new engine instead of naming the old port.
    const next = (await host.current()).sim!.httpUrl;
    expect(next).not.toBe(first);
    expect((await host.ready).sim!.httpUrl).toBe(first);
    await waitFor(() => host.health.state === 'running', 'running again', 5000);
    const boot = await host.request('boot', {});
    expect(boot).toMatchObject({ ok: true, value: { whatIfs: [{ id: 'what-if:session:1', request: { type: 'perp', underlying: 'BTC', quantity: 1 }, entry: 100 }] } });
    await host.stop();
  });
});
