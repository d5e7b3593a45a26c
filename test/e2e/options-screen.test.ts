import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';

let app: RunningApp;
let browser: BrowserSession;
let page: Page;

/** Every bid/mark/ask shown in the chain, as text: what a trader sees tick. */
async function quotesShown(): Promise<string[]> {
  return page.locator('.chain-body .px').allInnerTexts();
}

/** Pixels of a given colour painted in a panel's canvases. */
async function paintedPixels(selector: string, rgb: [number, number, number]): Promise<number> {
  return page.evaluate(
    ([sel, [r, g, b]]) => {
      let hits = 0;
      for (const c of document.querySelectorAll<HTMLCanvasElement>(`${sel} canvas`)) {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0) continue;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - r) < 24 && Math.abs(d[i + 1]! - g) < 24 && Math.abs(d[i + 2]! - b) < 24 && d[i + 3]! > 200) hits++;
      }
      return hits;
    },
    [selector, rgb] as const,
  );
}

beforeAll(async () => {
  app = await startHeadlessApp();
  browser = await openBrowser({ width: 1600, height: 940 });
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('options screen in Chromium through the headless host', () => {
  it('shows a live BTC chain with an ATM row, ticking', async () => {
    await page.goto(app.url);
    await page.waitForSelector('.workspace-tabs');
    await page.keyboard.press('o');
    await page.waitForSelector('.chain-body .chain-row', { timeout: 10_000 });
    await expect.poll(async () => (await quotesShown()).filter((t) => /^\d/.test(t)).length, { timeout: 10_000 }).toBeGreaterThan(20);
    expect(await page.locator('.chain-row.atm').count()).toBe(1);
    // Premiums are in coin by default: 4 decimals, well under one coin for most strikes.
    const marks = (await page.locator('.chain-body .px.mark').allInnerTexts()).filter((t) => /^\d/.test(t)).map(Number);
    expect(marks.every((m) => m > 0 && m < 1)).toBe(true);
    const before = await quotesShown();
    await expect.poll(async () => (await quotesShown()).some((t, i) => t !== before[i]), { timeout: 5000 }).toBe(true);
    // The mispricing list reports its scan even when the page opened after the engine's first one.
    await expect.poll(() => page.locator('.mispricings .panel-header').innerText(), { timeout: 10_000 }).toMatch(/\d+ found/);
    // Each visible strike shows Greeks with units in the header.
    expect(await page.locator('.chain-row.header').innerText()).toMatch(/\$\/vol pt[\s\S]*\$\/day/);
  });

  it('draws the smile with the fitted SVI curve through the venue quotes, and the term structure', async () => {
    await page.waitForSelector('[data-testid="smile-chart"][data-fitted="yes"]', { timeout: 10_000 });
    // The fit curve is the accent colour, the quotes are drawn in green/red/white.
    await expect.poll(() => paintedPixels('[data-testid="smile-chart"]', [76, 141, 255]), { timeout: 5000 }).toBeGreaterThan(150);
    await expect
      .poll(() => paintedPixels('[data-testid="smile-chart"]', [46, 189, 133]), { timeout: 10_000 })
      .toBeGreaterThan(20)
      .catch(async (err: unknown) => {
        // Keep what the screen showed: the artifact says whether the points were missing or mis-coloured.
        await browser.screenshot('10-options-smile-without-bids');
        throw err;
      });
    expect(await page.locator('.smile .legend').innerText()).toMatch(/rms (<0\.01|\d+\.\d+) vol pt/);
    await browser.screenshot('10-options-chain-btc');
  });

  it('moves through expiries and strikes from the keyboard, with the cursor option book', async () => {
    const tabs = page.locator('.expiry-tabs .tab');
    expect(await tabs.count()).toBeGreaterThanOrEqual(4);
    const firstLabel = await page.locator('.expiry-tabs .tab.active').innerText();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.expiry-tabs .tab.active').innerText()).not.toBe(firstLabel);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('.chain-row.cursor').count()).toBe(1);
    await expect.poll(() => page.locator('.option-book .ob-row').count(), { timeout: 5000 }).toBeGreaterThanOrEqual(4);
    const name = (await page.locator('.option-book h2').innerText()).split(' ')[0]!;
    expect(name).toMatch(/^BTC-\d{1,2}[A-Z]{3}\d{2}-\d+-C$/);
    await page.keyboard.press('x');
    await expect.poll(async () => (await page.locator('.option-book h2').innerText()).split(' ')[0]).toBe(name.replace(/-C$/, '-P'));
    await page.keyboard.press('u');
    await expect.poll(async () => (await page.locator('.chain-body .px.mark').allInnerTexts()).filter((t) => /^\d/.test(t)).some((t) => Number(t.replace(/,/g, '')) > 10)).toBe(true);
    await page.keyboard.press('u');
  });

  it('lists an option the venue misquotes far off the surface', async () => {
    const name = (await page.locator('.option-book h2').innerText()).split(' ')[0]!;
    await app.deribitFault({ fault: 'misquote', instrument: name, volPoints: 12 });
    const row = page.locator(`[data-testid="mispricing"].kind-rich-bid[data-contract="${name}"]`);
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.first().innerText()).toMatch(/Rich bid[\s\S]*\d+(\.\d)? vol pt/);
    // Clicking it takes the chain to that option.
    await row.first().click();
    await expect.poll(async () => (await page.locator('.option-book h2').innerText()).split(' ')[0]).toBe(name);
    await browser.screenshot('11-options-mispricing');
    await app.deribitFault({ fault: 'clear' });
    await expect.poll(() => page.locator(`[data-testid="mispricing"].kind-rich-bid[data-contract="${name}"]`).count(), { timeout: 10_000 }).toBe(0);
  });

  it('shows the ETH chain and every venue badge connected', async () => {
    await page.keyboard.press(']');
    await expect.poll(async () => (await page.locator('.chain-body .px.mark').allInnerTexts()).length, { timeout: 5000 }).toBeGreaterThan(10);
    // Hyperliquid, Deribit and Derive.
    await expect.poll(() => page.locator('.badge.state-connected').count(), { timeout: 5000 }).toBe(3);
    await browser.screenshot('12-options-chain-eth');
    expect(browser.consoleErrors).toEqual([]);
  });
});
