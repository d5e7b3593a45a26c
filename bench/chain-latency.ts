import { openBrowser } from '../test/e2e/support/browser.ts';
import { startHeadlessApp } from '../test/e2e/support/headless-app.ts';
import { percentile, type Row } from './measure.ts';

/**
 * Ticker-to-chain-row latency in Chromium at the simulator's full chain rate (every option requoted
 * on every 100 ms step when its price moves): from the Deribit adapter reading the ticker to the
 * visible chain row's DOM being updated.
 */
export async function benchChainLatency(seconds = 10): Promise<Row[]> {
  const app = await startHeadlessApp();
  const browser = await openBrowser({ width: 1600, height: 940 });
  try {
    await browser.page.goto(`${app.url}&latency=1`);
    await browser.page.waitForSelector('.workspace-tabs');
    await browser.page.keyboard.press('o');
    await browser.page.waitForSelector('.chain-body .chain-row');
    await new Promise((r) => setTimeout(r, 1000));
    const reset = () =>
      browser.page.evaluate(() => {
        const w = window as unknown as Record<string, number[]>;
        w.__deltadeskChainLatency!.length = 0;
        w.__deltadeskChainArrival!.length = 0;
      });
    await reset();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const { painted, arrived } = await browser.page.evaluate(() => {
      const w = window as unknown as Record<string, number[]>;
      return { painted: [...w.__deltadeskChainLatency!], arrived: [...w.__deltadeskChainArrival!] };
    });
    painted.sort((a, b) => a - b);
    arrived.sort((a, b) => a - b);
    const frame = 1000 / 60;
    const p99 = percentile(painted, 99);
    return [
      {
        bench: `ticker-to-chain-row, Chromium, ${(arrived.length / seconds).toFixed(0)} option tickers/s (${painted.length} visible-row updates)`,
        result: `p50 ${percentile(painted, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
        against: 'one 60 Hz frame 16.7 ms',
        ratio: `p99 = ${(p99 / frame).toFixed(2)} frames`,
      },
      {
        bench: '  of which ticker → page (engine, coalescing, bridge)',
        result: `p50 ${percentile(arrived, 50).toFixed(1)} ms, p99 ${percentile(arrived, 99).toFixed(1)} ms`,
        against: 'publisher window 16 ms',
        ratio: `p99 = ${(percentile(arrived, 99) / 16).toFixed(2)} windows`,
      },
    ];
  } finally {
    await browser.close();
    await app.stop();
  }
}
