import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';

let app: RunningApp;
let browser: BrowserSession;
let page: Page;

async function bookTime(): Promise<number> {
  return Number(await page.getAttribute('[data-testid="orderbook-body"]', 'data-book-time'));
}

/** Best bid shown in the book, read from the screen as a trader would. */
async function bestBidShown(): Promise<number> {
  const text = await page.locator('[data-testid="bids"] .book-row .price').first().innerText();
  return Number(text.replace(/,/g, ''));
}

beforeAll(async () => {
  app = await startHeadlessApp(['--stale-after-ms', '1500']);
  browser = await openBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('market screen in Chromium through the headless host', () => {
  it('shows live BTC and ETH books within 3 s of load', async () => {
    const started = Date.now();
    await page.goto(app.url);
    await page.waitForSelector('[data-testid="orderbook-body"]', { timeout: 3000 });
    const first = await bookTime();
    await page.waitForFunction(
      (t) => Number(document.querySelector('[data-testid="orderbook-body"]')?.getAttribute('data-book-time')) > t,
      first,
      { timeout: 3000 },
    );
    expect(Date.now() - started).toBeLessThan(6000);
    expect(await page.locator('[data-testid="bids"] .book-row').count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('[data-testid="asks"] .book-row').count()).toBeGreaterThanOrEqual(10);
    // Both markets tick: each tab shows a live mid.
    for (const symbol of ['BTC-PERP', 'ETH-PERP']) {
      await expect.poll(async () => (await page.innerText(`[data-testid="instrument-${symbol}"] .mid`)).trim(), { timeout: 3000 }).toMatch(/^\d[\d,]*(\.\d+)?$/);
    }
    await browser.screenshot('01-btc-book-and-chart');
  });

  it('draws candles on the chart', async () => {
    await expect.poll(async () => Number(await page.getAttribute('[data-testid="chart"]', 'data-bars')), { timeout: 5000 }).toBeGreaterThan(50);
    // The chart canvas is painted with candle colours, not blank.
    const coloured = await page.evaluate(() => {
      const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="chart"] canvas')];
      let hits = 0;
      for (const c of canvases) {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0) continue;
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < data.length; i += 16) {
          const [r, g] = [data[i]!, data[i + 1]!];
          if ((g > 150 && r < 100) || (r > 200 && g < 110)) hits++;
        }
      }
      return hits;
    });
    expect(coloured).toBeGreaterThan(200);
  });

  it('switches book and chart together when the instrument changes', async () => {
    const btcBid = await bestBidShown();
    await page.click('[data-testid="instrument-ETH-PERP"]');
    await expect.poll(() => page.getAttribute('[data-testid="chart"]', 'data-instrument')).toBe('hyperliquid:ETH-PERP');
    await expect.poll(bestBidShown, { timeout: 3000 }).toBeLessThan(btcBid / 5);
    await expect.poll(async () => Number(await page.getAttribute('[data-testid="chart"]', 'data-bars')), { timeout: 5000 }).toBeGreaterThan(50);
    const ethTime = await bookTime();
    await page.waitForFunction(
      (t) => Number(document.querySelector('[data-testid="orderbook-body"]')?.getAttribute('data-book-time')) > t,
      ethTime,
      { timeout: 3000 },
    );
    await browser.screenshot('02-eth-after-switch');
    // Keyboard: `[` goes back to BTC.
    await page.keyboard.press('[');
    await expect.poll(() => page.getAttribute('[data-testid="chart"]', 'data-instrument')).toBe('hyperliquid:BTC-PERP');
  });

  it('groups the book by tick multiples and shows sizes in USD on request', async () => {
    await page.selectOption('select[aria-label="Price grouping"]', '10');
    await expect
      .poll(async () => {
        const prices = await page.locator('[data-testid="bids"] .book-row .price').allInnerTexts();
        return prices.every((p) => Number(p.replace(/,/g, '')) % 10 === 0);
      })
      .toBe(true);
    await page.keyboard.press('u');
    await expect.poll(() => page.innerText('button[aria-label="Size unit"]')).toBe('USD');
    await browser.screenshot('03-btc-grouped-usd');
    await page.selectOption('select[aria-label="Price grouping"]', '1');
    await page.keyboard.press('u');
  });

  it('marks the venue stale when the feed stalls, and recovers after', async () => {
    const badge = '[data-testid="venue-hyperliquid"]';
    await expect.poll(() => page.getAttribute(badge, 'data-state'), { timeout: 5000 }).toBe('connected');
    await app.fault({ fault: 'stall', ms: 4000 });
    await expect.poll(() => page.getAttribute(badge, 'data-state'), { timeout: 3500 }).toBe('stale');
    // The frozen book says so too, not only the badge.
    await page.waitForSelector('[data-testid="book-stale"]', { timeout: 3000 });
    await browser.screenshot('04-stale-feed');
    await expect.poll(() => page.getAttribute(badge, 'data-state'), { timeout: 8000 }).toBe('connected');
    await expect.poll(() => page.locator('[data-testid="book-stale"]').count(), { timeout: 3000 }).toBe(0);
  });

  it('reports no script or policy errors and exposes no Node to the page', async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined' });
    expect(browser.consoleErrors).toEqual([]);
  });
});

describe('headless host border', () => {
  it('answers 401 and nothing else without the launch token', async () => {
    const origin = app.origin;
    for (const path of ['/', '/index.html', '/?token=wrong', '/assets/anything.js']) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('Unauthorized');
    }
  });

  it('refuses a WebSocket without the token', async () => {
    const ws = new WebSocket(`${app.origin.replace('http', 'ws')}/ws`);
    const outcome = await new Promise<string>((resolve) => {
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
    expect(outcome).toBe('refused');
  });
});
