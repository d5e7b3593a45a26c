import type { LoopDelayStats } from '../shared/perf/loop-delay.ts';
import { openBrowser } from '../test/e2e/support/browser.ts';
import { startHeadlessApp } from '../test/e2e/support/headless-app.ts';
import type { Row } from './measure.ts';

/**
 * Event-loop delay of the engine (its worker) and of the host (the browser build's server; main in
 * Electron runs the same monitor) under the full simulated load: every venue streaming, the book
 * pushed 200 times a second, the page open on the options chain (all rows ticking, the surface
 * refitting) and then on the portfolio (the ladder repriced). Each handler — a venue frame, a
 * command, a signature request — waits this long behind the work ahead of it.
 */
export async function benchLoopDelay(seconds = 10): Promise<Row[]> {
  const app = await startHeadlessApp(['--sim-book-interval-ms', '5']);
  const browser = await openBrowser({ width: 1600, height: 940 });
  try {
    const page = browser.page;
    await page.goto(app.url);
    await page.waitForSelector('[data-testid="orderbook-body"]');
    const health = async <T>(name: string, payload: unknown): Promise<T> => {
      const r = await app.command(name, payload);
      if (!r.ok) throw new Error(`${name}: ${r.error?.message}`);
      return r.value as T;
    };
    // The window starts once everything is streaming; start-up (markets loading) is not the steady state.
    await page.keyboard.press('o');
    await page.waitForSelector('.chain-body .chain-row', { timeout: 20_000 });
    await new Promise((r) => setTimeout(r, 2000));
    await health('engine.health', { reset: true });
    await new Promise((r) => setTimeout(r, (seconds * 1000) / 2));
    await page.keyboard.press('p');
    await new Promise((r) => setTimeout(r, (seconds * 1000) / 2));
    const engine = (await health<{ loop: LoopDelayStats }>('engine.health', {})).loop;
    const host = (await health<{ loop: LoopDelayStats }>('app.health', {})).loop;
    const frame = 1000 / 60;
    const row = (what: string, s: LoopDelayStats): Row => ({
      bench: `event-loop delay, ${what}, full simulated load (${s.samples} samples)`,
      result: `p50 ${s.p50Ms.toFixed(1)} ms, p99 ${s.p99Ms.toFixed(1)} ms, max ${s.maxMs.toFixed(0)} ms`,
      against: 'one 60 Hz frame 16.7 ms',
      ratio: `p99 = ${(s.p99Ms / frame).toFixed(2)} frames`,
    });
    // The host keeps its last minute: the window and the start-up before it.
    return [row('engine worker', engine), row('host (headless server), last minute', host)];
  } finally {
    await browser.close();
    await app.stop();
  }
}
