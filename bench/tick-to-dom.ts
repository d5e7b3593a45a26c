import type { Row } from './measure.ts';
import { latencyRows, measureInChromium } from './chromium-latency.ts';

/**
 * Tick-to-DOM in Chromium: the simulator pushes the selected book 200 times a second; each
 * sample runs from the adapter receiving the venue frame to the order book's DOM being updated
 * (engine parse, credit-paced publishing, worker → host → WebSocket, the renderer's rAF drain, React).
 */
export async function benchTickToDom(seconds = 10): Promise<Row[]> {
  const s = await measureInChromium({
    args: ['--sim-book-interval-ms', '5'],
    prepare: async (page) => void (await page.waitForSelector('[data-testid="orderbook-body"]')),
    series: { dom: '__deltadeskLatency', arrival: '__deltadeskArrival' },
    seconds,
  });
  return latencyRows(
    `tick-to-DOM, Chromium, 200 book frames/s (${s.dom.length} DOM updates in ${seconds} s)`,
    '  of which venue frame → page (engine, credit-paced frames, bridge)',
    s,
  );
}
