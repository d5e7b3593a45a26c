import { Wallet } from 'ethers';
import type { RunningApp } from './headless-app.ts';

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
