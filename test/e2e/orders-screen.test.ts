import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';
import { ok as okAt, setUpTradingVault } from './support/trading-vault.ts';

/*
 * Orders on screen through the real app: a vault with an approved agent and a budget, orders
 * placed through the bridge as the order ticket will place them, and the trader's view of them —
 * open orders and fills on Perps and Portfolio, the position that moved, a cancel from the
 * keyboard, cancel-all armed and confirmed, and trading closed while the venue is away.
 */
let app: RunningApp;
let browser: BrowserSession;
let page: Page;
const PASS = 'lantern-copper-meadow-58-fjord';

const ok = <T,>(name: string, payload: unknown): Promise<T> => okAt<T>(app, name, payload);
const mid = async (): Promise<number> => {
  const mids = await page.evaluate(() => document.querySelector('[data-testid="instrument-BTC-PERP"] .mid')?.textContent ?? '');
  return Number(mids.replace(/,/g, ''));
};
const openRows = () => page.locator('.panel.orders .orders-table tbody tr');
let n = 0;
const intent = () => `e2e-order-${Date.now()}-${++n}`;

beforeAll(async () => {
  app = await startHeadlessApp();
  browser = await openBrowser();
  page = browser.page;
  await setUpTradingVault(app, PASS, 200_000);
}, 40_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('orders on screen', () => {
  it('open orders and a fill show on Perps; the fill moves the position on Portfolio', async () => {
    await page.goto(app.url);
    await expect.poll(() => mid(), { timeout: 8_000 }).toBeGreaterThan(1000);
    const m = await mid();
    for (const [i, side] of (['buy', 'buy', 'sell'] as const).entries()) {
      const limit = side === 'buy' ? Math.round(m * (0.97 - i * 0.01)) : Math.round(m * 1.04);
      await ok('orders.place', { intentId: intent(), venue: 'hyperliquid', instrument: 'BTC', side, size: 0.01, limit, tif: 'Gtc' });
    }
    const filled = await ok<{ state: string; avgPrice: number }>('orders.place', { intentId: intent(), venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.02, limit: null, slippageBps: 200 });
    expect(filled.state).toBe('filled');
    await expect.poll(() => openRows().count(), { timeout: 5_000 }).toBe(3);
    await expect.poll(() => page.getByRole('tab', { name: 'Fills 1' }).count()).toBe(1);
    const first = await openRows().first().innerText();
    expect(first).toMatch(/Hyperliquid\s+BTC\s+(Buy|Sell)\s+0\.01\s+–\s+[\d,]+(\.\d+)?\s+–\s+Gtc\s+open/);
    await browser.screenshot('30-perps-open-orders');
    // At 1280×720 every column still fits: nothing of an order is cut.
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(() => page.locator('.panel.orders .orders-scroll').evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
    // The top bar keeps the lock state and both venues on screen.
    const chipBox = await page.locator('.lock-chip').boundingBox();
    expect(chipBox!.x + chipBox!.width).toBeLessThanOrEqual(1280);
    expect(await page.getByTestId('venue-deribit').isVisible()).toBe(true);
    await browser.screenshot('30b-perps-open-orders-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('tab', { name: 'Fills 1' }).click();
    await expect.poll(() => page.locator('.panel.orders .orders-table tbody tr').first().innerText()).toMatch(/\d\d:\d\d:\d\d\s+Hyperliquid\s+BTC\s+Buy\s+0\.02\s+[\d,.]+\s+[\d,]+\s+tid:\d+/);
    await browser.screenshot('31-perps-fills');
    await page.getByRole('tab', { name: /^Open/ }).click();
    await page.keyboard.press('p');
    // The trading account's BTC perp: +0.02 from the fill.
    await expect.poll(() => page.locator('.positions-table').innerText(), { timeout: 8_000 }).toMatch(/BTC-PERP[^\n]*\+?0\.02/);
    await expect.poll(() => page.locator('.panel.orders .orders-table tbody tr').count()).toBe(3);
    await browser.screenshot('32-portfolio-with-orders');
  }, 40_000);

  it('N selects an order and Delete cancels it; ⇧X twice cancels the rest', async () => {
    await page.keyboard.press('m');
    await expect.poll(() => openRows().count()).toBe(3);
    await page.keyboard.press('n');
    const chosen = await page.locator('.panel.orders tr.selected').innerText();
    await page.keyboard.press('Delete');
    await expect.poll(() => openRows().count(), { timeout: 5_000 }).toBe(2);
    expect(await page.locator('.order-notice').innerText()).toMatch(/^cancelled (buy|sell) 0\.01 BTC @/);
    expect(await openRows().allInnerTexts()).not.toContain(chosen);
    await page.keyboard.press('Shift+X');
    await expect.poll(() => page.getByRole('button', { name: 'Confirm: cancel 2' }).count()).toBe(1);
    await browser.screenshot('33-cancel-all-armed');
    expect(await openRows().count()).toBe(2); // one press sends nothing
    await page.keyboard.press('Shift+X');
    await expect.poll(() => openRows().count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => page.locator('.order-notice').innerText()).toBe('cancelled 2 orders');
    await page.getByRole('tab', { name: /^Done/ }).click();
    await expect.poll(() => page.locator('.panel.orders .orders-table tbody tr').count()).toBe(4);
  }, 30_000);

  it('the journal screen lists what happened, filters it, and exports exactly what it shows as CSV', async () => {
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.journal-table tbody tr').count(), { timeout: 5_000 }).toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Fills' }).click();
    await expect.poll(async () => [...new Set(await page.locator('.journal-table tbody tr td:nth-child(3)').allInnerTexts())]).toEqual(['Fills']);
    expect(await page.locator('.journal-table tbody tr').first().innerText()).toMatch(/buy 0\.02 BTC @ [\d.]+ · tid:\d+/);
    await browser.screenshot('35-journal-fills');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = (await import('node:fs')).readFileSync(file, 'utf8').split('\r\n');
    expect(csv[0]).toBe('seq,time_utc,kind,body,hash');
    expect(csv.slice(1, -1).every((l) => /^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,fill,"\{.*\}",[0-9a-f]{64}$/.test(l))).toBe(true);
    await page.keyboard.press('m');
  }, 30_000);

  it('while the venue is away, the panel says trading waits for it, and an order is refused with that reason', async () => {
    await app.fault({ fault: 'stall', ms: 1_500 });
    // Every read for a while answers 2.5 s late, so reconciling holds the gate long enough to be seen.
    await app.fault({ fault: 'slowRequests', count: 20, ms: 2_500 });
    await app.fault({ fault: 'drop' });
    await expect.poll(() => page.locator('.gate-closed').innerText(), { timeout: 8_000 }).toMatch(/Hyperliquid: no new orders — (Hyperliquid is reconnecting|reconciling)/);
    await browser.screenshot('34-trading-closed-while-reconnecting');
    const refused = await app.command('orders.place', { intentId: intent(), venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.01, limit: 1000, tif: 'Gtc' });
    expect(refused.ok).toBe(false);
    await expect.poll(() => page.locator('.gate-closed').count(), { timeout: 20_000 }).toBe(0);
  }, 40_000);
});
