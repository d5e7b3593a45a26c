import { openBrowser } from '../test/e2e/support/browser.ts';
import { startHeadlessApp } from '../test/e2e/support/headless-app.ts';
import { percentile, type Row } from './measure.ts';

/*
 * An Aave oracle move to the alert on screen (issue "Monitoring", item 7), in Chromium through the
 * headless host with the paper Aave market: the WETH oracle is moved on chain (the control answers
 * once the transaction is mined), and the page records when the critical banner first names the
 * health factor. Both clocks are this machine's wall clock (Date.now and the page's timeOrigin).
 * The path: the Aave watch reads every second → the monitor's next evaluation → the stream frame
 * → the banner. The price is put back and the alert cleared between samples.
 */
const SAMPLES = 16;

export async function benchOracleAlertScreen(): Promise<Row[]> {
  const app = await startHeadlessApp(['--paper-aave']);
  const browser = await openBrowser({ width: 1440, height: 900 });
  try {
    const page = browser.page;
    await page.goto(app.url);
    await page.waitForSelector('.workspace-tabs');
    await page.keyboard.press('p');
    await page.waitForFunction(() => /HF 1\.\d{3}/.test(document.querySelector('.accounts-table')?.textContent ?? ''), undefined, { timeout: 20_000 });
    const hfCritical = async (): Promise<boolean> => {
      const r = await app.command('alerts.list', {});
      return ((r.value as { active: { rule: string; level: string }[] } | undefined)?.active ?? []).some((a) => a.rule === 'health-factor' && a.level === 'critical');
    };
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const seen = page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const check = (): boolean => {
              const b = document.querySelector('[role="alert"][aria-label="Critical alerts"]');
              if (!b || !/health factor 0\.\d{3}/.test(b.textContent)) return false;
              resolve(performance.timeOrigin + performance.now());
              return true;
            };
            if (check()) return;
            const obs = new MutationObserver(() => {
              if (check()) obs.disconnect();
            });
            obs.observe(document.body, { subtree: true, childList: true, characterData: true });
          }),
      );
      // Spread over the read's second, so the samples are not locked to its phase.
      await page.waitForTimeout(50 + ((i * 397) % 1_000));
      // A different price each time so the oracle really moves; held so the follower leaves it.
      await app.fault({ fault: 'aaveOracle', asset: 'WETH', usd: 1_000 + i, holdMs: 30_000 });
      const moved = Date.now();
      times.push((await seen) - moved);
      await app.fault({ fault: 'aaveOracle', asset: 'WETH', usd: 3_000, holdMs: 0 });
      for (let t = 0; t < 100 && (await hfCritical()); t++) await page.waitForTimeout(100);
      // Acknowledged or not, the banner goes once the alert clears.
      await page.waitForFunction(() => !/health factor 0\.\d{3}/.test(document.querySelector('[role="alert"][aria-label="Critical alerts"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
    }
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    const worst = times.at(-1)!;
    return [
      {
        bench: `Aave oracle moved on chain → critical alert on screen (Chromium, headless host), p50 / worst of ${SAMPLES}`,
        result: `${p50.toFixed(0)} / ${worst.toFixed(0)} ms`,
        against: 'one Aave read a second + one frame: 1,017 ms',
        ratio: `${(worst / 1_017).toFixed(2)}×`,
      },
      { bench: 'the same against one Ethereum block (12 s), worst', result: `${worst.toFixed(0)} ms`, against: '12,000 ms', ratio: `${(worst / 12_000).toFixed(3)}×` },
    ];
  } finally {
    await browser.close();
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./measure.ts');
  printTable(await benchOracleAlertScreen());
}
