import type { Page } from 'playwright-core';
import { closeScreen, openTradingScreen } from '../test/e2e/support/trading-vault.ts';
import { percentile, type Row } from './measure.ts';

/*
 * The hedge key to the plan on screen (issue "Hedging", item 8), in Chromium through the headless
 * host: from the keydown of H to the DOM showing the plan, and to the start of the frame that
 * paints it (the next animation frame after the change). Escape between samples.
 */
async function sample(page: Page): Promise<{ dom: number; paint: number }> {
  // The listeners are in place before the key is pressed: set up in one evaluate that returns at
  // once, read in another. (One evaluate left pending while the key was pressed could lose the race
  // with the keydown, and then waited for a key that had already come.)
  await page.evaluate(() => {
    const w = window as unknown as { hedgeSample: Promise<{ dom: number; paint: number }> };
    w.hedgeSample = new Promise((resolve) => {
      let t0 = 0;
      const onKey = (e: KeyboardEvent): void => {
        if (e.key === 'h') t0 = performance.now();
      };
      window.addEventListener('keydown', onKey, { capture: true });
      const obs = new MutationObserver(() => {
        if (!t0 || !document.querySelector('.hedge-overlay .hedge-plan, .hedge-overlay .form-error')) return;
        obs.disconnect();
        window.removeEventListener('keydown', onKey, { capture: true });
        const dom = performance.now() - t0;
        requestAnimationFrame((frame) => resolve({ dom, paint: Math.max(dom, frame - t0) }));
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  });
  await page.keyboard.press('h');
  const s = await page.evaluate(() => (window as unknown as { hedgeSample: Promise<{ dom: number; paint: number }> }).hedgeSample);
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
    for (let i = 0; i < 120; i++) {
      const s = await sample(page);
      if (i < 20) continue;
      dom.push(s.dom);
      paint.push(s.paint);
    }
    dom.sort((a, b) => a - b);
    paint.sort((a, b) => a - b);
    return [
      { bench: 'hedge key → plan in the DOM (Chromium, headless host), p50 / p99', result: `${percentile(dom, 50).toFixed(1)} / ${percentile(dom, 99).toFixed(1)} ms`, against: 'one frame 16.7 ms', ratio: `${(percentile(dom, 99) / 16.7).toFixed(2)} frames` },
      { bench: 'hedge key → the frame that paints the plan, p50 / p99', result: `${percentile(paint, 50).toFixed(1)} / ${percentile(paint, 99).toFixed(1)} ms`, against: 'one frame 16.7 ms', ratio: `${(percentile(paint, 99) / 16.7).toFixed(2)} frames` },
    ];
  } finally {
    await closeScreen(app, browser);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./measure.ts');
  printTable(await benchHedgePreviewScreen());
}
