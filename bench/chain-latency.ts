import type { Row } from './measure.ts';
import { latencyRows, measureInChromium } from './chromium-latency.ts';

/**
 * Ticker-to-chain-row latency in Chromium at the simulator's full chain rate (every option requoted
 * on every 100 ms step when its price moves): from the Deribit adapter reading the ticker to the
 * visible chain row's DOM being updated.
 */
export async function benchChainLatency(seconds = 10): Promise<Row[]> {
  const s = await measureInChromium({
    viewport: { width: 1600, height: 940 },
    prepare: async (page) => {
      await page.waitForSelector('.workspace-tabs');
      await page.keyboard.press('o');
      await page.waitForSelector('.chain-body .chain-row');
      await new Promise((r) => setTimeout(r, 1000));
    },
    series: { dom: '__deltadeskChainLatency', arrival: '__deltadeskChainArrival' },
    seconds,
  });
  return latencyRows(
    `ticker-to-chain-row, Chromium, ${(s.arrival.length / seconds).toFixed(0)} option tickers/s (${s.dom.length} visible-row updates)`,
    '  of which ticker → page (engine, coalescing, bridge)',
    s,
  );
}
