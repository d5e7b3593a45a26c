import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';
import { EDGE_MIN_DAYS } from '../support/edge-target.ts';
import { ok, registerDeriveSessionKey, setUpTradingVault } from './support/trading-vault.ts';

/*
 * Deribit and Derive side by side on the options screen, through the real app: V shows both
 * venues' quotes on the same contracts; the smile carries Derive's marks against the joint fit;
 * a cross-venue edge injected on Derive is listed with the venues, its edge and its size, and
 * leaves the list when Derive quotes fairly again; traded from the list with arm-and-confirm, a
 * refused second leg is said at once and its unwind closes the open leg.
 */
const PASS = 'harbour-quartz-meadow-41-lantern';
let app: RunningApp;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  app = await startHeadlessApp();
  browser = await openBrowser({ width: 1600, height: 940 });
  page = browser.page;
  await setUpTradingVault(app, PASS, 2_000_000);
  await registerDeriveSessionKey(app, PASS);
  // Option legs count their whole underlying against the order limit: room for what the quotes show.
  await ok(app, 'vault.setBudget', { limits: { maxOrderNotionalUsd: 5_000_000, maxPositionUsd: { '*': 2_000_000 }, maxDailyHedgeNotionalUsd: 5_000_000, maxDailyCollateralUsd: 0 }, confirm: { kind: 'passphrase', passphrase: PASS } });
}, 40_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * Opens the soonest expiry at least `days` out (its tab's title is its UTC time): a weekly in its
 * last hours has too little vega for a 25-point misquote to beat the fees.
 */
async function showExpiryDaysOut(days: number): Promise<void> {
  const tabs = page.locator('.expiry-tabs .tab.expiry');
  const times = await tabs.evaluateAll((els) => els.map((e) => Date.parse(`${(e.getAttribute('title') ?? '').replace(' UTC', '').replace(' ', 'T')}Z`)));
  const i = times.findIndex((t) => t - Date.now() >= days * 86_400_000);
  expect(i).toBeGreaterThanOrEqual(0);
  await tabs.nth(i).click();
  await expect.poll(() => tabs.nth(i).getAttribute('aria-selected')).toBe('true');
  await page.waitForSelector('.chain-body .chain-row.atm', { timeout: 10_000 });
}

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

  it('the cursor’s book shows Derive’s depth for a contract Derive lists, in the unit the chain shows, and goes back to Deribit', async () => {
    const book = page.getByRole('region', { name: 'Option order book' }).or(page.locator('section.option-book'));
    // Derive lists every other strike: a step or two moves the cursor onto one.
    for (let i = 0; i < 6 && !(await book.getByRole('radiogroup', { name: 'Book venue' }).count()); i++) await page.keyboard.press('ArrowDown');
    await book.getByRole('radio', { name: 'Derive' }).click();
    await expect.poll(() => book.getAttribute('data-venue')).toBe('derive');
    await expect.poll(() => book.locator('h2').innerText()).toMatch(/^BTC-\d{8}-\d+-[CP]$/);
    await expect.poll(async () => (await book.locator('.ob-row.bid .px').allInnerTexts()).filter((t) => /^[\d.]+$/.test(t)).length, { timeout: 10_000 }).toBeGreaterThan(0);
    // In coin, like the chain (Derive's USD at the index): a premium under one coin, best bid first.
    const bids = (await book.locator('.ob-row.bid .px').allInnerTexts()).filter((t) => /^[\d.]+$/.test(t)).map(Number);
    expect(bids.every((x) => x > 0 && x < 1)).toBe(true);
    expect([...bids].sort((a, b) => b - a)).toEqual(bids);
    await browser.screenshot('13b-option-book-derive');
    await book.getByRole('radio', { name: 'Deribit' }).click();
    await expect.poll(() => book.getAttribute('data-venue')).toBe('deribit');
    await expect.poll(() => book.locator('h2').innerText()).toMatch(/^BTC-\d{1,2}[A-Z]{3}\d{2}-\d+-[CP]$/);
  });

  it('lists an edge injected on Derive as a cross-venue trade, and drops it when it is gone', async () => {
    await showExpiryDaysOut(EDGE_MIN_DAYS);
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
    expect(await row.first().getAttribute('title')).toMatch(/buy on Deribit at \$[\d.]+, sell on Derive at \$[\d.]+: \$[\d.]+ a contract after both fees/);
    await browser.screenshot('14-options-cross-venue-edge');
    // Clicking the row previews the trade (it sends nothing); Esc drops it.
    await row.first().click();
    const overlay = page.getByRole('dialog', { name: 'Trade the mispricing' });
    await expect.poll(() => overlay.innerText(), { timeout: 5_000 }).toMatch(/Cross-venue trade/);
    await page.keyboard.press('Escape');
    await expect.poll(() => overlay.count()).toBe(0);
    await app.deriveFault({ fault: 'clear' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
  });

  it('trades the edge from the list: armed and confirmed, the Derive leg first; a refused Deribit leg is said at once and the unwind closes the Derive leg', async () => {
    const atm = page.locator('.chain-body .chain-row.atm, .chain-body .chain-row.atm + .chain-row').locator('.side.call .px.peer');
    const titles = await atm.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    const derive = titles.map((t) => /Derive (\S+):/.exec(t)?.[1]).find(Boolean)!;
    const [, , strike] = derive.split('-');
    await app.deriveFault({ fault: 'misquote', instrument: derive, volPoints: 25 });
    const row = page.locator(`[data-testid="mispricing"].kind-cross-venue[data-contract$="-${strike}-C"]`);
    await row.first().waitFor({ timeout: 10_000 });
    await row.first().click();
    const overlay = page.getByRole('dialog', { name: 'Trade the mispricing' });
    await expect.poll(() => overlay.innerText(), { timeout: 5_000 }).toMatch(/1\s+Derive\s+sell [\d.]+ BTC-\d{8}-\d+-C[\s\S]*2\s+Deribit\s+buy [\d.]+ BTC-\w+-\d+-C/);
    const text = await overlay.innerText();
    expect(text).toMatch(/Edge\s+\$[\d.,]+K? after \$[\d.]+ of fees, for [\d.]+ contracts/);
    expect(text).toMatch(/Cash\s+Derive \+\$[\d.,]+K? · Deribit −\$[\d.,]+K?/);
    await browser.screenshot('15-arb-preview');
    // Deribit refuses the next order: the second leg.
    await app.deribitFault({ fault: 'reject', count: 1 });
    // Planned again on the live quotes when sent: if they moved past half the edge it is refused,
    // as a trader would see, and previewed again from the list.
    for (let attempt = 1; ; attempt++) {
      await overlay.getByRole('button', { name: 'Arm' }).click();
      await overlay.getByRole('button', { name: /^Send 2 legs/ }).click();
      await expect.poll(() => overlay.innerText(), { timeout: 10_000 }).toMatch(/One leg is open|not sent:/);
      if (!/not sent:/.test(await overlay.innerText()) || attempt === 3) break;
      await page.keyboard.press('Escape');
      await row.first().click();
      await expect.poll(() => overlay.innerText(), { timeout: 5_000 }).toMatch(/Cross-venue trade/);
    }
    await expect.poll(() => overlay.innerText(), { timeout: 10_000 }).toMatch(/One leg is open: the second leg \(buy \S+ on Deribit\) filled 0 of [\d.]+: .*not_enough_funds/);
    expect(await overlay.getByRole('alert').first().innerText()).toMatch(/You are short [\d.]+ BTC-\d{8}-\d+-C on Derive without its hedge/);
    await browser.screenshot('16-arb-second-leg-refused');
    // Esc does not drop an open leg by accident.
    await app.deriveFault({ fault: 'clear' });
    await overlay.getByRole('button', { name: /^Unwind: buy [\d.]+ BTC-\d{8}-\d+-C on Derive/ }).click();
    await expect.poll(() => overlay.innerText(), { timeout: 10_000 }).toMatch(/Unwound: [\d.]+ BTC-\S+ bought back on Derive at [\d.]+; nothing is open/);
    await browser.screenshot('17-arb-unwound');
    const orders = (await app.command('orders.list', {})).value as { orders: { venue: string; state: string; intentId: string }[] };
    const mine = orders.orders.filter((o) => o.intentId.startsWith('arb-'));
    expect(mine.map((o) => `${o.venue} ${o.state}`).sort()).toEqual(['deribit rejected', 'derive filled', 'derive filled']);
    await page.keyboard.press('Escape');
    expect(browser.consoleErrors).toEqual([]);
  }, 40_000);

  it('shows the Derive session key in the vault with its scope, subaccount and expiry, and the form that registers another', async () => {
    await page.keyboard.press('k');
    const row = page.locator('.keys-table tr', { hasText: 'desk (session)' });
    await expect.poll(() => row.innerText(), { timeout: 5_000 }).toMatch(/agent\s+0x[0-9a-fA-F]{40}\s+derive\s+0x[0-9a-f]{4}…[0-9a-f]{4} · [67] d \d+ h left · paper · trade:orderbook:option · subaccount \d+/);
    const form = page.getByRole('form', { name: 'Register a Derive session key' });
    expect(await form.getByTestId('session-key-scope').innerText()).toMatch(/place and cancel option orders \(scope trade:orderbook:option\) on the first subaccount of Main \(0x\S+\) on Derive paper, until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(7 days\)\. It cannot withdraw, transfer or trade perps/);
    await form.scrollIntoViewIfNeeded();
    await browser.screenshot('18-vault-derive-session-key');
  });
});
