import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PAPER_BORROWER_KEY } from '../../electron/sim/aave/paper-aave.ts';
import type { DivestPlan } from '../../shared/domain/divest.ts';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';
import { closeScreen, ok as okAt, setUpTradingVault } from './support/trading-vault.ts';

/*
 * The kill switch through the real app in Chromium (issue "Kill switch", items 1 and 6): with the
 * paper book on Deribit, a hedge on Hyperliquid and the paper Aave borrower's debt, Shift+K shows
 * the plan and sends nothing; typing the word executes it; the report says every leg is flat and
 * the Portfolio screen agrees — no options, no perps of the trading account, no Aave debt — while
 * the watched paper account, which no key here can trade, is named as left, with why.
 */
let app: RunningApp;
let browser: BrowserSession;
let page: Page;
const PASS = 'quarry-lilac-harbour-63-tide';
const ok = <T,>(name: string, payload: unknown): Promise<T> => okAt<T>(app, name, payload);
const overlay = () => page.getByRole('dialog', { name: 'Kill switch' });
const legsOf = (plan: DivestPlan) => plan.steps.flatMap((st) => st.legs);

beforeAll(async () => {
  app = await startHeadlessApp(['--paper-aave']);
  browser = await openBrowser({ width: 1600, height: 940 });
  page = browser.page;
  await setUpTradingVault(app, PASS, 2_000_000);
  await ok('vault.importKey', { label: 'Aave paper', privateKey: PAPER_BORROWER_KEY });
}, 60_000);
afterAll(() => closeScreen(app, browser));

describe('the kill switch on screen', () => {
  it('Shift+K plans, the typed word flattens every venue, and the screens agree', async () => {
    await page.goto(app.url);
    await page.waitForSelector('.workspace-tabs');
    await page.keyboard.press('p');
    await page.waitForSelector('.ladder-row.spot', { timeout: 20_000 });
    await expect.poll(async () => (await ok<{ gates: { venue: string; account: string | null; ready: boolean }[] }>('orders.list', {})).gates.every((g) => g.ready && (g.venue !== 'hyperliquid' || g.account !== null)), { timeout: 15_000 }).toBe(true);
    await ok('orders.place', { intentId: 'e2e-kill-hedge', venue: 'hyperliquid', instrument: 'BTC', side: 'sell', size: 0.3, limit: null });
    await expect.poll(async () => legsOf(await ok<DivestPlan>('divest.plan', { scope: 'all' })).map((l) => l.phase).sort().join(' '), { timeout: 20_000 }).toBe('buy-back-shorts buy-back-shorts hedges repay sell-longs sell-longs');
    // A protective stop on the hedge, set on Portfolio: it rests at the venue.
    const stops = page.getByLabel('Protective stops');
    await expect.poll(() => stops.innerText(), { timeout: 10_000 }).toMatch(/BTC-PERP\s+short 0\.3000/);
    await stops.getByRole('button', { name: 'Set stop' }).click();
    await expect.poll(() => stops.innerText(), { timeout: 10_000 }).toMatch(/resting: buy 0\.3 BTC if the mark reaches \d+/);
    const ordersBefore = (await ok<{ orders: unknown[] }>('orders.list', {})).orders.length;
    await page.keyboard.press('Shift+K');
    await expect.poll(() => overlay().innerText(), { timeout: 10_000 }).toMatch(/Repay Aave debt/i).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await overlay().innerText()}`);
    });
    const text = await overlay().innerText();
    expect(text).toMatch(/1\. Cancel every order[\s\S]*2\. Buy back short options[\s\S]*3\. Sell long options[\s\S]*4\. Close the perp hedges[\s\S]*5\. Repay Aave debt/i);
    expect(text).toMatch(/Buy 0\.3000 BTC BTC-PERP on Hyperliquid/);
    expect(text).toMatch(/Not flattened here[\s\S]*watched only: the vault holds no agent for 0x5eed/i);
    expect(text).toMatch(/Est\. cost\s+\$[\d,]+ \(slippage against the mark and fees/);
    await browser.screenshot('70-kill-switch-plan');
    expect((await ok<{ orders: unknown[] }>('orders.list', {})).orders.length).toBe(ordersBefore);
    const execute = overlay().getByRole('button', { name: /^Execute the whole plan/ });
    expect(await execute.isDisabled()).toBe(true);
    await overlay().getByRole('textbox', { name: 'Type FLATTEN to execute' }).fill('FLATTEN');
    await execute.click();
    await expect.poll(() => overlay().innerText(), { timeout: 90_000 }).toMatch(/run done/);
    const report = await overlay().getByLabel('Report').innerText();
    await browser.screenshot('71-kill-switch-report');
    // Only the watched account's perps are not flat, and the report says why.
    expect(report.match(/^Not flat \((\d+)\)/i)?.[1]).toBe('2');
    expect(report).toMatch(/watched only/);
    expect(report).not.toMatch(/still held|still owed|refused/);
    // The hedge is closed, so its stop is done: none is kept for a position that is gone.
    await expect.poll(async () => (await ok<{ stops: unknown[] }>('divest.status', {})).stops, { timeout: 10_000 }).toEqual([]);
    // Asked again, the engine finds nothing left to flatten but the watched account.
    const again = await ok<DivestPlan>('divest.plan', { scope: 'all' });
    expect(legsOf(again)).toEqual([]);
    expect(again.left.map((x) => x.reason)).toEqual([expect.stringMatching(/^watched only/), expect.stringMatching(/^watched only/)]);
    // The screen agrees: Portfolio lists no Deribit position any more.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.pos-row[data-figure^="position:deribit:"]').count(), { timeout: 10_000 }).toBe(0);
    await browser.screenshot('72-kill-switch-portfolio-after');
  }, 150_000);

  it('revoke-all on the Vault screen: every agent slot burned at the venue, the keys gone, the vault locked', async () => {
    await page.keyboard.press('k');
    const form = page.locator('form.revoke-all');
    await expect.poll(() => form.innerText(), { timeout: 5_000 }).toMatch(/1 agent can trade now/);
    await form.getByLabel('Revoke all agents: passphrase').fill(PASS);
    await form.getByRole('button', { name: 'Revoke all and lock' }).click();
    await expect.poll(async () => (await ok<{ state: string }>('vault.status', {})).state, { timeout: 10_000 }).toBe('locked');
    await browser.screenshot('73-revoke-all-locked');
    const status = await ok<{ keys: { role: string }[] }>('vault.status', {});
    expect(status.keys.filter((k) => k.role === 'agent')).toEqual([]);
    // Nothing can be signed now: a hedge is refused with the vault's reason.
    const r = await app.command('orders.place', { intentId: 'e2e-after-revoke', venue: 'hyperliquid', instrument: 'BTC', side: 'sell', size: 0.01, limit: null });
    expect(r.ok ? (r.value as { reason: string | null }).reason : r.error?.message).toMatch(/locked|no approved Hyperliquid agent/);
  }, 30_000);
});
