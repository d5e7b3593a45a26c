import type { Page } from 'playwright-core';
import { closeScreen, openTradingScreen } from '../test/e2e/support/trading-vault.ts';
import { percentile, type Row } from './measure.ts';

/*
 * The hedge key to the plan on screen (issue "Hedging", item 8), in Chromium through the headless
 * host: from the keydown of H to the DOM showing the plan (the streamed draft), to the start of the
 * frame that paints it (the next animation frame after the change), and to the kept preview that
 * the key can send (a round trip to the engine). Escape between samples.
 */
type Sample = { dom: number; paint: number; armed: number };
async function sample(page: Page): Promise<Sample> {
  // The listeners are in place before the key is pressed: set up in one evaluate that returns at
  // once, read in another. (One evaluate left pending while the key was pressed could lose the race
  // with the keydown, and then waited for a key that had already come.)
  await page.evaluate(() => {
    const w = window as unknown as { hedgeSample: Promise<Sample> };
    w.hedgeSample = new Promise((resolve) => {
      let t0 = 0;
      let dom = 0;
      let paint = 0;
      const onKey = (e: KeyboardEvent): void => {
        if (e.key === 'h') t0 = performance.now();
      };
      window.addEventListener('keydown', onKey, { capture: true });
      const finish = (armed: number): void => {
        obs.disconnect();
        window.removeEventListener('keydown', onKey, { capture: true });
        resolve({ dom, paint, armed });
      };
      const obs = new MutationObserver(() => {
        if (!t0) return;
        if (!dom && document.querySelector('.hedge-overlay .hedge-plan, .hedge-overlay .form-error')) {
          dom = performance.now() - t0;
          requestAnimationFrame((frame) => (paint = Math.max(dom, frame - t0)));
        }
        // Sendable: the arm line of the kept preview, or its refusal once no longer asking.
        if (dom && document.querySelector('.hedge-overlay .hedge-arm, .hedge-overlay .form-error') && !document.querySelector('.hedge-overlay .muted.asking')) {
          const armed = performance.now() - t0;
          requestAnimationFrame(() => requestAnimationFrame(() => finish(armed)));
        }
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  });
  await page.keyboard.press('h');
  const s = await page.evaluate(() => (window as unknown as { hedgeSample: Promise<Sample> }).hedgeSample);
  await page.keyboard.press('Escape');
  await page.waitForSelector('.hedge-overlay', { state: 'detached' });
  return s;
}

export async function benchHedgePreviewScreen(workspaceKey = process.env.HEDGE_BENCH_KEY ?? 'p'): Promise<Row[]> {
  const { app, browser, page } = await openTradingScreen('lantern-quay-copper-71-fjord', { width: 1600, height: 940 });
  try {
    await page.goto(app.url);
    await page.waitForSelector('.workspace-tabs');
    await page.keyboard.press(workspaceKey);
    if (workspaceKey === 'p') await page.waitForSelector('.ladder-row.spot', { timeout: 20_000 });
    else await page.waitForTimeout(3_000);
    const dom: number[] = [];
    const paint: number[] = [];
    const armed: number[] = [];
    for (let i = 0; i < 120; i++) {
      const s = await sample(page);
      if (i < 20) continue;
      dom.push(s.dom);
      paint.push(s.paint);
      armed.push(s.armed);
    }
    for (const xs of [dom, paint, armed]) xs.sort((a, b) => a - b);
    return [
      { bench: 'hedge key → plan in the DOM (Chromium, headless host), p50 / p99', result: `${percentile(dom, 50).toFixed(1)} / ${percentile(dom, 99).toFixed(1)} ms`, against: 'one frame 16.7 ms', ratio: `${(percentile(dom, 99) / 16.7).toFixed(2)} frames` },
      { bench: 'hedge key → the frame that paints the plan, p50 / p99', result: `${percentile(paint, 50).toFixed(1)} / ${percentile(paint, 99).toFixed(1)} ms`, against: 'one frame 16.7 ms', ratio: `${(percentile(paint, 99) / 16.7).toFixed(2)} frames` },
      { bench: 'hedge key → the kept preview on screen (sendable; a round trip to the engine), p50 / p99', result: `${percentile(armed, 50).toFixed(1)} / ${percentile(armed, 99).toFixed(1)} ms`, against: 'two frames 33.3 ms', ratio: `${(percentile(armed, 99) / 16.7).toFixed(2)} frames` },
    ];
  } finally {
    await closeScreen(app, browser);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./measure.ts');
  printTable(await benchHedgePreviewScreen());
}
