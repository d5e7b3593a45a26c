import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_ALERT_RULES, type AlertsSnapshot } from '../../shared/domain/alerts.ts';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';
import { ok as okAt } from './support/trading-vault.ts';

/*
 * Alerts through the real app in Chromium (issue "Monitoring", items 1 and 6): the trader tightens
 * the liquidation rule in the alerts panel, the paper book's perps cross it, and the screen says so
 * everywhere it should — the critical banner, a toast, the badge, the position row highlighted,
 * the browser's own notification — the journal has it, "Show" lands on the row, Shift+A
 * acknowledges, and putting the rule back clears it into "cleared lately".
 */
let app: RunningApp;
let browser: BrowserSession;
let page: Page;
const ok = <T,>(name: string, payload: unknown): Promise<T> => okAt<T>(app, name, payload);
const banner = () => page.getByRole('alert', { name: 'Critical alerts' });

beforeAll(async () => {
  app = await startHeadlessApp(['--paper-aave']);
  browser = await openBrowser({ width: 1440, height: 900 });
  page = browser.page;
  // The page's notifications, recorded: the browser would show them on the desktop.
  await page.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    class RecordedNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string }) {
        shown.push({ title, body: options.body });
      }
      close(): void {}
    }
    (window as unknown as { Notification: unknown }).Notification = RecordedNotification;
  });
}, 40_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('alerts on screen', () => {
  it('a tightened liquidation rule raises a critical alert everywhere a trader looks', async () => {
    await page.goto(app.url);
    await page.waitForSelector('.workspace-tabs');
    await page.keyboard.press('p');
    await page.waitForSelector('.pos-row[data-figure^="position:hyperliquid:"]', { timeout: 20_000 });
    await page.keyboard.press('a');
    const drawer = page.getByRole('complementary', { name: 'Alerts' });
    await expect.poll(() => drawer.innerText()).toMatch(/in force/i);
    const row = drawer.locator('tr[data-rule="liq-distance-pct"]');
    await row.getByRole('textbox', { name: 'Liquidation distance info' }).fill('');
    await row.getByRole('textbox', { name: 'Liquidation distance warning' }).fill('99.5');
    await row.getByRole('textbox', { name: 'Liquidation distance critical' }).fill('99');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.innerText()).toContain('saved');
    await expect.poll(() => banner().innerText(), { timeout: 5_000 }).toMatch(/CRITICAL\s*BTC-PERP \(Hyperliquid 0x[0-9a-f]{4}…[0-9a-f]{4}\): [\d.]+ % from liquidation at \$[\d,]+ \(alert below 99\.0 %\)/i);
    await expect.poll(() => page.locator('.alert-toast.level-critical').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('alerts-badge').innerText()).toMatch(/^\d+ alerts?$/);
    await expect.poll(() => page.locator('.pos-row.figure-alert-critical[data-figure^="position:hyperliquid:"]').count()).toBeGreaterThan(0);
    const notes = await page.evaluate(() => (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications);
    expect(notes.some((n) => n.title === 'DeltaDesk: Liquidation distance (critical)' && /from liquidation at/.test(n.body))).toBe(true);
    await browser.screenshot('60-alerts-critical');
    const journal = await ok<{ rows: { body: string }[] }>('journal.query', { kinds: ['alert'], from: null, to: null, text: 'liq-distance-pct', limit: 20 });
    expect(journal.rows.some((r) => (JSON.parse(r.body) as { event: string }).event === 'raised')).toBe(true);
  });

  it('Show lands on the position; Shift+A acknowledges until the banner is gone', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('m');
    await page.waitForSelector('.workspace.with-orders');
    // The position's alert (under load another critical one, a stale feed, may be listed first).
    await banner().locator('.critical-alert', { hasText: 'BTC-PERP' }).first().getByRole('button', { name: 'Show' }).click();
    await page.waitForSelector('.pos-row.figure-focused', { timeout: 10_000 });
    // One press per critical alert in the banner (a new one may be raised meanwhile: press again).
    for (let i = 0; i < 12 && (await banner().count()) > 0; i++) {
      await page.keyboard.press('Shift+A');
      await page.waitForTimeout(150);
    }
    await expect.poll(() => banner().count(), { timeout: 5_000 }).toBe(0);
    // The position's alert is acknowledged (under load a stale feed may be raised after the banner went).
    const position = (await ok<AlertsSnapshot>('alerts.list', {})).active.filter((a) => a.level === 'critical' && a.rule === 'liq-distance-pct');
    expect(position.length).toBeGreaterThan(0);
    expect(position.every((a) => a.acknowledged)).toBe(true);
  });

  it('the rule put back clears the alerts into "cleared lately"', async () => {
    await ok('alerts.rule', { rule: 'liq-distance-pct', settings: DEFAULT_ALERT_RULES['liq-distance-pct'] });
    await page.keyboard.press('a');
    const drawer = page.getByRole('complementary', { name: 'Alerts' });
    await expect.poll(() => drawer.locator('.alert-list.recent .alert-row').count(), { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await drawer.locator('.alert-list.recent').innerText()).toMatch(/from liquidation.*cleared \d+ s ago/s);
    await browser.screenshot('61-alerts-panel');
    expect(browser.consoleErrors).toEqual([]);
  });

  it('the chain’s own oracle: a USDC depeg and an ETH crash at Aave’s oracle each raise a critical alert on screen, and clear when the price is back', async () => {
    await page.keyboard.press('Escape');
    // USDC at 95 cents on Aave's oracle: 500 bps off the peg, past the 200 bps critical.
    await app.fault({ fault: 'aaveOracle', asset: 'USDC', usd: 0.95 });
    await expect.poll(() => banner().innerText(), { timeout: 8_000 }).toMatch(/USDC at \$0\.9500 on Aave's oracle: 500 bps off \$1 \(alert above 200 bps\)/);
    await app.fault({ fault: 'aaveOracle', asset: 'USDC', usd: 1 });
    await expect.poll(async () => (await ok<AlertsSnapshot>('alerts.list', {})).active.some((a) => a.rule === 'stablecoin-depeg'), { timeout: 8_000 }).toBe(false);
    // ETH 40 % down on the oracle, held there: the paper borrower's health factor near 1.
    const hf = async () => Number(/HF (\d\.\d{3})/.exec(await page.locator('.accounts-table').innerText())?.[1] ?? NaN);
    const before = await hf();
    expect(before).toBeGreaterThan(1.3);
    await app.fault({ fault: 'aaveOracle', asset: 'WETH', usd: 1_000, holdMs: 15_000 });
    await expect.poll(() => banner().innerText(), { timeout: 8_000 }).toMatch(/Aave 0x7099…79c8: health factor 0\.\d{3} \(alert below 1\.10; liquidation below 1\.00\)/);
    await expect.poll(hf, { timeout: 5_000 }).toBeLessThan(1);
    await browser.screenshot('63-aave-oracle-crash');
    const journal = await ok<{ rows: { body: string }[] }>('journal.query', { kinds: ['alert'], from: null, to: null, text: 'health-factor', limit: 20 });
    expect(journal.rows.some((r) => (JSON.parse(r.body) as { event: string }).event === 'raised')).toBe(true);
    // Released: the oracle follows the market again (within a second) and the account is back where it was.
    await app.fault({ fault: 'aaveOracle', asset: 'WETH', usd: 3_000, holdMs: 0 });
    await expect.poll(hf, { timeout: 8_000 }).toBeGreaterThan(1.3);
    await expect.poll(async () => (await ok<AlertsSnapshot>('alerts.list', {})).active.some((a) => a.rule === 'health-factor' && a.level === 'critical'), { timeout: 8_000 }).toBe(false);
    // A malformed command is refused in words.
    await expect(app.fault({ fault: 'aaveOracle', asset: 'DAI', usd: 1 })).rejects.toThrow(/asset: expected WETH or USDC/);
  });

  it('top-ups: live is refused for a watched account in words; dry-run says what it would add and moves nothing', async () => {
    await page.keyboard.press('Escape');
    const panel = page.getByRole('group', { name: 'Collateral top-ups' }).or(page.locator('[aria-label="Collateral top-ups"]'));
    const row = panel.locator('.top-up-row').first();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await row.getByRole('radio', { name: 'live' }).click();
    await expect.poll(() => row.locator('.form-error').innerText()).toMatch(/no Hyperliquid account to sign for yet: approve an agent in Vault/);
    await row.getByRole('textbox', { name: 'Top-up target %' }).fill('40');
    await row.getByRole('textbox', { name: 'Top-up target %' }).blur();
    await row.getByRole('textbox', { name: 'Top-up trigger %' }).fill('30');
    await row.getByRole('textbox', { name: 'Top-up trigger %' }).blur();
    await row.getByRole('radio', { name: 'dry-run' }).click();
    await expect.poll(() => row.innerText(), { timeout: 8_000 }).toMatch(/dry-run: would ETH-PERP: [\d.]+ % from liquidation, under the 30\.0 % trigger; add \$[\d,.]+K? of margin/);
    // The paper Aave borrower: its health factor under Accounts and its own top-up row.
    await expect.poll(() => panel.locator('.top-up-row[data-position^="aave:"]').innerText(), { timeout: 10_000 }).toMatch(/Aave 0x7099…79c8\s*health factor 1\.\d{3} · WETH from the wallet/);
    expect(await page.locator('.accounts-table').innerText()).toMatch(/Aave\s+0x709979…79c8\s+\$[\d.]+K\s+debt \$[\d.]+K · HF 1\.\d{3}/);
    await row.scrollIntoViewIfNeeded();
    await browser.screenshot('62-top-up-dry-run');
    const journal = await ok<{ rows: { body: string }[] }>('journal.query', { kinds: ['top-up'], from: null, to: null, text: 'dry-run', limit: 5 });
    expect(journal.rows.length).toBeGreaterThan(0);
    expect(browser.consoleErrors).toEqual([]);
  });
});
