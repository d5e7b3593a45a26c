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
});
