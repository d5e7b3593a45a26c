import type { Page } from 'playwright-core';
import { openBrowser } from '../test/e2e/support/browser.ts';
import { startHeadlessApp } from '../test/e2e/support/headless-app.ts';
import { percentile, type Row } from './measure.ts';

export interface LatencyRun {
  /** Extra flags for the headless host. */
  args?: string[];
  viewport?: { width: number; height: number };
  /** Brings the screen to the state being measured (the page is open with `?latency=1`). */
  prepare(page: Page): Promise<void>;
  /** The page's sample arrays: to the DOM update, and to the frame's arrival at the page. */
  series: { dom: string; arrival: string };
  seconds: number;
}

/** Runs the built app in Chromium and collects venue-to-screen latency samples, sorted. */
export async function measureInChromium(run: LatencyRun): Promise<{ dom: number[]; arrival: number[] }> {
  const app = await startHeadlessApp(run.args ?? []);
  const browser = await openBrowser(run.viewport);
  try {
    await browser.page.goto(`${app.origin}/?latency=1#token=${app.token}`);
    await run.prepare(browser.page);
    const names = [run.series.dom, run.series.arrival];
    await browser.page.evaluate((ns) => {
      for (const n of ns) (window as unknown as Record<string, number[]>)[n]!.length = 0;
    }, names);
    await new Promise((r) => setTimeout(r, run.seconds * 1000));
    const [dom, arrival] = await browser.page.evaluate((ns) => ns.map((n) => [...(window as unknown as Record<string, number[]>)[n]!]), names);
    return { dom: dom!.sort((a, b) => a - b), arrival: arrival!.sort((a, b) => a - b) };
  } finally {
    await browser.close();
    await app.stop();
  }
}

/** The two table rows every latency bench prints: to the DOM against a frame, to the page against the publisher window. */
export function latencyRows(label: string, arrivalLabel: string, s: { dom: number[]; arrival: number[] }): Row[] {
  const frame = 1000 / 60;
  const p99 = percentile(s.dom, 99);
  const a99 = percentile(s.arrival, 99);
  return [
    { bench: label, result: `p50 ${percentile(s.dom, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`, against: 'one 60 Hz frame 16.7 ms', ratio: `p99 = ${(p99 / frame).toFixed(2)} frames` },
    { bench: arrivalLabel, result: `p50 ${percentile(s.arrival, 50).toFixed(1)} ms, p99 ${a99.toFixed(1)} ms`, against: 'one 60 Hz frame 16.7 ms', ratio: `p99 = ${(a99 / frame).toFixed(2)} frames` },
  ];
}
