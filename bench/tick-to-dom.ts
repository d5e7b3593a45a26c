import { openBrowser } from '../test/e2e/support/browser.ts';
import { startHeadlessApp } from '../test/e2e/support/headless-app.ts';
import { percentile, type Row } from './measure.ts';

/**
 * Tick-to-DOM in Chromium: the simulator pushes the selected book 200 times a second; each
 * sample runs from the adapter receiving the venue frame to the order book's DOM being updated
 * (engine parse, 16 ms coalescing, worker → host → WebSocket, the renderer's rAF drain, React).
 */
export async function benchTickToDom(seconds = 10): Promise<Row[]> {
  const app = await startHeadlessApp(['--sim-book-interval-ms', '5']);
  const browser = await openBrowser();
  try {
    await browser.page.goto(`${app.url}&latency=1`);
    await browser.page.waitForSelector('[data-testid="orderbook-body"]');
    await browser.page.evaluate(() => {
      const w = window as unknown as { __deltadeskLatency: number[]; __deltadeskArrival: number[] };
      w.__deltadeskLatency.length = 0;
      w.__deltadeskArrival.length = 0;
    });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const { samples, arrivals } = await browser.page.evaluate(() => {
      const w = window as unknown as { __deltadeskLatency: number[]; __deltadeskArrival: number[] };
      return { samples: [...w.__deltadeskLatency], arrivals: [...w.__deltadeskArrival] };
    });
    samples.sort((a, b) => a - b);
    arrivals.sort((a, b) => a - b);
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    const frame = 1000 / 60;
    return [
      {
        bench: `tick-to-DOM, Chromium, 200 book frames/s (${samples.length} DOM updates in ${seconds} s)`,
        result: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
        against: 'one 60 Hz frame 16.7 ms',
        ratio: `p99 = ${(p99 / frame).toFixed(2)} frames`,
      },
      {
        bench: '  of which venue frame → page (engine, 16 ms coalescing, bridge)',
        result: `p50 ${percentile(arrivals, 50).toFixed(1)} ms, p99 ${percentile(arrivals, 99).toFixed(1)} ms`,
        against: 'publisher window 16 ms',
        ratio: `p99 = ${(percentile(arrivals, 99) / 16).toFixed(2)} windows`,
      },
    ];
  } finally {
    await browser.close();
    await app.stop();
  }
}
