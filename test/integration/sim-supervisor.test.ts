import { describe, expect, it } from 'vitest';
import { superviseSimInWorker } from '../../electron/sim/launch-in-worker.ts';
import { waitFor } from '../support/wait.ts';

/* A simulator that dies is started again on the same ports, so the adapters' reconnects find it. */
const TOKEN = 'sim-supervisor-test-token-0123456789';

async function mids(httpUrl: string): Promise<Record<string, string> | null> {
  try {
    const res = await fetch(`${httpUrl}/info`, { method: 'POST', body: JSON.stringify({ type: 'allMids' }), signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as Record<string, string>) : null;
  } catch {
    return null;
  }
}

describe('the simulator supervisor', () => {
  it('restarts a simulator whose thread died, on the same Hyperliquid and Deribit ports', async () => {
    const lines: string[] = [];
    const sim = await superviseSimInWorker(new URL('../../electron/sim/worker-entry.ts', import.meta.url), { seed: 4, controlToken: TOKEN }, (l) => lines.push(l));
    try {
      const { httpUrl, deribit } = sim.endpoints;
      expect(await mids(httpUrl)).toHaveProperty('BTC');
      const res = await fetch(`${httpUrl}/_sim/control`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sim-control': TOKEN }, body: JSON.stringify({ fault: 'crash' }) });
      expect(res.ok).toBe(true);
      await waitFor(() => sim.restarts === 1, 'the simulator started again', 15_000);
      expect(sim.endpoints.httpUrl).toBe(httpUrl);
      expect(sim.endpoints.deribit.wsUrl).toBe(deribit.wsUrl);
      expect(await mids(httpUrl)).toHaveProperty('BTC');
      expect(lines.join('\n')).toMatch(/simulated market stopped \(exit code 70\); starting it again/);
    } finally {
      await sim.stop();
    }
  });
});
