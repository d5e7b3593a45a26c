import { Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './browser.ts';
import { startHeadlessApp, type RunningApp } from './headless-app.ts';

/** A command through the app's bridge that must succeed; its value. */
export async function ok<T>(app: RunningApp, name: string, payload: unknown): Promise<T> {
  const r = await app.command(name, payload);
  if (!r.ok) throw new Error(`${name}: ${r.error?.message}`);
  return r.value as T;
}

/**
 * A vault that can trade, as a trader sets one up: created, a master imported, an agent approved
 * for it on the (paper) venue, and a budget with the given position limit.
 */
export async function setUpTradingVault(app: RunningApp, passphrase: string, maxPositionUsd = 200_000): Promise<void> {
  const confirm = { kind: 'passphrase', passphrase };
  await ok(app, 'vault.create', { passphrase });
  const master = await ok<{ id: string }>(app, 'vault.importKey', { label: 'Main', privateKey: Wallet.createRandom().privateKey });
  await ok(app, 'vault.approveAgent', { master: { kind: 'local', keyId: master.id }, name: 'desk', validDays: 7, confirm });
  await ok(app, 'vault.setBudget', { limits: { maxOrderNotionalUsd: 50_000, maxPositionUsd: { '*': maxPositionUsd }, maxDailyHedgeNotionalUsd: 500_000, maxDailyCollateralUsd: 0 }, confirm });
}

/** A Derive session key for the vault's master, registered with the passphrase as the owner's confirmation. */
export async function registerDeriveSessionKey(app: RunningApp, passphrase: string): Promise<void> {
  const status = await ok<{ keys: { id: string; role: string }[] }>(app, 'vault.status', {});
  const master = status.keys.find((k) => k.role === 'master')!;
  await ok(app, 'vault.registerSessionKey', { owner: { kind: 'local', keyId: master.id }, label: 'desk', validDays: 7, confirm: { kind: 'passphrase', passphrase } });
}

/** The app, a browser on it and a vault that can trade: what the trading screens' tests start from. */
export async function openTradingScreen(passphrase: string, viewport?: { width: number; height: number }): Promise<{ app: RunningApp; browser: BrowserSession; page: Page }> {
  const app = await startHeadlessApp();
  const browser = await openBrowser(viewport);
  await setUpTradingVault(app, passphrase, 2_000_000);
  return { app, browser, page: browser.page };
}

export async function closeScreen(app: RunningApp | undefined, browser: BrowserSession | undefined): Promise<void> {
  await browser?.close();
  await app?.stop();
}

/** A figure as the screen prints it (− for minus, thousands commas, units) as a number. */
export const screenNumber = (s: string): number => Number(s.replace(/−/g, '-').replace(/[^0-9.+-]/g, ''));
