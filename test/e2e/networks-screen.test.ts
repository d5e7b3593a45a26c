import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';

/*
 * Paper, testnet, mainnet through the real app, with "testnet" pointed at the built-in
 * simulators: the switch restarts the engine on the new endpoints, a banner says what is live,
 * an agent approved on paper signs nothing on testnet, and mainnet needs the word typed.
 */
let app: RunningApp;
let browser: BrowserSession;
let page: Page;
const PASS = 'harbor-ember-quartz-73-lupine';

beforeAll(async () => {
  app = await startHeadlessApp(['--testnet-at-sim']);
  browser = await openBrowser();
  page = browser.page;
  const created = await app.command('vault.create', { passphrase: PASS });
  expect(created.ok).toBe(true);
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const banner = () => page.getByTestId('live-banner');
const badge = () => page.getByTestId('venue-hyperliquid');

describe('networks', () => {
  it('all paper: no live banner; Hyperliquid to testnet restarts the engine on testnet and says so', async () => {
    await page.goto(app.url);
    // All paper: the top bar's PAPER badge says it once; the venue's badge needs no SIM tag of its own.
    await expect.poll(() => badge().innerText(), { timeout: 8_000 }).toMatch(/^Hyperliquid\s*connected/);
    expect(await badge().getAttribute('title')).toMatch(/simulated, paper mode/);
    expect(await page.locator('.mode-badge').innerText()).toBe('PAPER');
    expect(await banner().count()).toBe(0);
    await page.keyboard.press('k');
    await page.getByLabel('Hyperliquid network').selectOption('testnet');
    await page.getByRole('button', { name: 'Apply and restart the engine' }).click();
    await expect.poll(() => banner().innerText(), { timeout: 8_000 }).toBe('TESTNET Hyperliquid testnet — the venue’s test network, no real money · Deribit paper · Derive paper');
    // The same adapter, now not on the simulator's paper flag: no SIM tag, connected again; Deribit,
    // still simulated beside a real venue, now carries one.
    await expect.poll(() => badge().innerText(), { timeout: 15_000 }).toMatch(/^Hyperliquid\s*connected/);
    await expect.poll(() => page.getByTestId('venue-deribit').innerText(), { timeout: 15_000 }).toMatch(/^Deribit\s*SIM/);
    await expect.poll(() => page.locator('.mode-badge').count()).toBe(0);
    await browser.screenshot('36-networks-testnet');
  }, 40_000);

  it('an order on testnet is refused until an agent is approved on testnet', async () => {
    const r = await app.command('orders.place', { intentId: `net-${Date.now()}`, venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.01, limit: 1000, tif: 'Gtc' });
    // Main refused to sign, so nothing was sent: the order is rejected with main's reason.
    expect(r.value).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/no approved Hyperliquid agent on testnet: approve one in Vault/) as unknown });
  }, 20_000);

  it('mainnet needs MAINNET typed: refused without it, the banner turns red with it, and back to paper it goes', async () => {
    await page.getByLabel('Hyperliquid network').selectOption('mainnet');
    const apply = page.getByRole('button', { name: 'Apply and restart the engine' });
    expect(await apply.isDisabled()).toBe(true);
    await page.getByLabel('Type MAINNET to confirm').fill('mainnet');
    expect(await apply.isDisabled()).toBe(true);
    const refused = await app.command('app.setNetworks', { networks: { hyperliquid: 'mainnet', deribit: 'paper' }, confirm: null });
    expect(refused).toMatchObject({ ok: false, error: { message: 'moving hyperliquid to mainnet trades real money: type MAINNET to confirm' } });
    await page.getByLabel('Type MAINNET to confirm').fill('MAINNET');
    await apply.click();
    await expect.poll(() => banner().innerText(), { timeout: 8_000 }).toMatch(/^LIVE Hyperliquid mainnet — orders here are real and spend real money/);
    expect(await banner().getAttribute('class')).toContain('mainnet');
    await browser.screenshot('37-networks-mainnet-banner');
    await page.getByLabel('Hyperliquid network').selectOption('paper');
    await page.getByRole('button', { name: 'Apply and restart the engine' }).click();
    await expect.poll(() => banner().count(), { timeout: 8_000 }).toBe(0);
    await expect.poll(() => badge().getAttribute('title'), { timeout: 15_000 }).toMatch(/simulated, paper mode\): connected/);
    const status = await app.command('app.networks', {});
    expect(status.value).toMatchObject({ networks: { hyperliquid: 'paper', deribit: 'paper', derive: 'paper' }, testnetAtSim: true });
  }, 60_000);

  it('Derive has a switch of its own: Derive alone to testnet, Deribit stays on paper', async () => {
    await page.getByLabel('Derive network').selectOption('testnet');
    await page.getByRole('button', { name: 'Apply and restart the engine' }).click();
    await expect.poll(() => banner().innerText(), { timeout: 8_000 }).toBe('TESTNET Derive testnet — the venue’s test network, no real money · Hyperliquid paper · Deribit paper');
    expect((await app.command('app.networks', {})).value).toMatchObject({ networks: { hyperliquid: 'paper', deribit: 'paper', derive: 'testnet' } });
    await page.getByLabel('Derive network').selectOption('paper');
    await page.getByRole('button', { name: 'Apply and restart the engine' }).click();
    await expect.poll(() => banner().count(), { timeout: 8_000 }).toBe(0);
  }, 40_000);
});
