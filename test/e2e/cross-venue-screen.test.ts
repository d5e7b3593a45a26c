import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';

/*
 * Deribit and Derive side by side on the options screen, through the real app: V shows both
 * venues' quotes on the same contracts; the smile carries Derive's marks against the joint fit;
 * a cross-venue edge injected on Derive is listed with the venues, its edge and its size, and
 * leaves the list when Derive quotes fairly again.
 */
let app: RunningApp;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  app = await startHeadlessApp();
  browser = await openBrowser({ width: 1600, height: 940 });
  page = browser.page;
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('both option venues on one chain', () => {
  it('V shows Derive’s bid and ask beside Deribit’s for the contracts both list', async () => {
    await page.goto(app.url);
    await page.waitForSelector('.workspace-tabs');
    await page.keyboard.press('o');
    await page.waitForSelector('.chain-body .chain-row', { timeout: 10_000 });
    await page.keyboard.press('v');
    await expect.poll(() => page.locator('.chain-row.header').innerText()).toMatch(/Bid\s+Derive[\s\S]*Bid\s+Deribit/);
    await expect.poll(() => page.getByRole('button', { name: 'Deribit + Derive' }).getAttribute('aria-pressed')).toBe('true');
    // Derive lists every other strike: some rows carry its quotes, the others a dot.
    const peers = async () => (await page.locator('.chain-body .px.peer').allInnerTexts()).filter((t) => /^\d/.test(t)).length;
    await expect.poll(peers, { timeout: 15_000 }).toBeGreaterThan(10);
    expect((await page.locator('.chain-body .px.peer').allInnerTexts()).filter((t) => t === '·').length).toBeGreaterThan(4);
    // In coin like Deribit's (its USD converted at the index): a premium well under one coin.
    const shown = (await page.locator('.chain-body .px.peer').allInnerTexts()).filter((t) => /^\d/.test(t)).map(Number);
    expect(shown.every((x) => x > 0 && x < 1)).toBe(true);
    await page.waitForSelector('[data-testid="smile-chart"][data-fitted="yes"]', { timeout: 10_000 });
    // Derive's marks on the smile, in the peer colour (#b48cff).
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            let hits = 0;
            for (const c of document.querySelectorAll<HTMLCanvasElement>('[data-testid="smile-chart"] canvas')) {
              const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
              if (!d) continue;
              for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 180) < 24 && Math.abs(d[i + 1]! - 140) < 24 && Math.abs(d[i + 2]! - 255) < 24 && d[i + 3]! > 200) hits++;
            }
            return hits;
          }),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(20);
    await browser.screenshot('13-options-both-venues');
  });

  it('lists an edge injected on Derive as a cross-venue trade, and drops it when it is gone', async () => {
    // The ATM call's Derive name, from its cell (rows Derive does not list say "Deribit only").
    const atm = page.locator('.chain-body .chain-row.atm');
    let derive = /Derive (\S+):/.exec((await atm.locator('.side.call .px.peer').first().getAttribute('title')) ?? '')?.[1];
    if (!derive) {
      const next = page.locator('.chain-body .chain-row.atm + .chain-row');
      derive = /Derive (\S+):/.exec((await next.locator('.side.call .px.peer').first().getAttribute('title')) ?? '')?.[1];
    }
    expect(derive).toMatch(/^BTC-\d{8}-\d+-C$/);
    await app.deriveFault({ fault: 'misquote', instrument: derive!, volPoints: 25 });
    const [, , strike] = derive!.split('-');
    const row = page.locator(`[data-testid="mispricing"].kind-cross-venue[data-contract$="-${strike}-C"]`);
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.first().innerText()).toMatch(new RegExp(`Cross[\\s\\S]*${Number(strike) / 1000}k C[\\s\\S]*DBT·DRV[\\s\\S]*\\$\\d[\\d,.]*[\\s\\S]*\\d`));
    expect(await row.first().getAttribute('title')).toMatch(/buy on deribit at \$[\d.]+, sell on derive at \$[\d.]+: \$[\d.]+ a contract after both fees/);
    await browser.screenshot('14-options-cross-venue-edge');
    await app.deriveFault({ fault: 'clear' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    expect(browser.consoleErrors).toEqual([]);
  });
});
