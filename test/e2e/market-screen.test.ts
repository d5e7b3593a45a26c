import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { WebSocket as WsClient } from 'ws';
import { openBridgeSocket, startHeadlessApp, type RunningApp } from './support/headless-app.ts';

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
    await page.keyboard.press('u');
    // $1,000 buckets, grouped by the venue: the book still fills every row, $1,000 apart, where
    // the 20 raw levels ($1 apart) would make one row a side.
    await page.selectOption('select[aria-label="Price grouping"]', '1000');
    await expect.poll(() => page.getAttribute('[data-testid="orderbook-body"]', 'data-grouped-by'), { timeout: 5_000 }).toBe('venue');
    const bids = async () => (await page.locator('[data-testid="bids"] .book-row .price').allInnerTexts()).map((p) => Number(p.replace(/,/g, '')));
    await expect.poll(async () => (await bids()).length).toBeGreaterThan(8);
    const grouped = await bids();
    expect(grouped.slice(1).map((p, i) => grouped[i]! - p)).toEqual(grouped.slice(1).map(() => 1000));
    await browser.screenshot('03b-btc-grouped-1000-by-venue');
    await page.selectOption('select[aria-label="Price grouping"]', '1');
    await expect.poll(() => page.getAttribute('[data-testid="orderbook-body"]', 'data-grouped-by')).toBe('screen');
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
  it('takes the token from the fragment, removes it from the address bar, sets no cookie, and reconnects after a reload', async () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
    const seen = await page.evaluate(() => ({ href: location.href, cookie: document.cookie }));
    expect(seen.href).not.toContain(app.token);
    expect(seen.href).not.toContain('#');
    expect(seen.cookie).toBe('');
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([]);
    await page.reload();
    await page.waitForSelector('[data-testid="orderbook-body"]', { timeout: 5000 });
    const first = Number(await page.getAttribute('[data-testid="orderbook-body"]', 'data-book-time'));
    await page.waitForFunction((t) => Number(document.querySelector('[data-testid="orderbook-body"]')?.getAttribute('data-book-time')) > t, first, { timeout: 5000 });
  });

  it('serves static files without a token or a cookie, and only to its own Host name', async () => {
    const res = await fetch(`${app.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).not.toContain(app.token);
    const foreign = await new Promise<number>((resolve, reject) => {
      const u = new URL(app.origin);
      const req = httpRequest({ host: u.hostname, port: u.port, path: '/', headers: { host: 'evil.example' } }, (r) => resolve(r.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    expect(foreign).toBe(401);
  });

  it('refuses a WebSocket without the token, with a wrong one, or with the token in the query', async () => {
    const attempts: [string, string[] | undefined][] = [
      ['/ws', undefined],
      ['/ws', ['deltadesk']],
      ['/ws', ['deltadesk', 'wrong-token-wrong-token-wrong']],
      [`/ws?token=${app.token}`, ['deltadesk']],
    ];
    for (const [path, protocols] of attempts) {
      // The page's own origin: only the token differs from what the page sends.
      const ws = new WsClient(`${app.origin.replace('http', 'ws')}${path}`, protocols ?? [], { origin: app.origin });
      const outcome = await new Promise<string>((resolve) => {
        ws.on('open', () => resolve('open'));
        ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        ws.on('error', () => resolve('error'));
      });
      ws.terminate();
      expect(outcome, `${path} ${JSON.stringify(protocols)}`).toBe('refused 401');
    }
    // The same origin with the right token is let in, and the host names the protocol it speaks.
    const good = openBridgeSocket(app.url);
    await new Promise((r) => good.once('open', r));
    expect(good.protocol).toBe('deltadesk');
    good.close();
  });
});
