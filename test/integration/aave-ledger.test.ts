import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import { Contract, Wallet, parseUnits } from 'ethers';
import { localProvider } from '../../electron/sim/aave/deploy-market.ts';
import { DEV_DEPLOYER_KEY } from '../../electron/sim/aave/local-evm.ts';
import { startPaperAave, type PaperAave } from '../../electron/sim/aave/paper-aave.ts';
import type { TopUpStatus } from '../../shared/domain/top-up.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * An Aave account whose master lives on a Ledger (issue "Monitoring", item 3: transactions signed
 * by the vault's signer interface, local key or Ledger): the vault holds no key for it, only the
 * Ledger account. A top-up is signed on the device — the trader refusing there is a loud
 * failure, approving lands the supply on the real Aave contracts — and the signature journal says
 * the Ledger signed it. The emulator derives its accounts from the same development phrase as the
 * local chain, so Ledger account 1 is the paper borrower.
 */
let rig: TradingRig;
let aave: PaperAave;
let engine: Engine;
const hf = () => engine.portfolio.accounts().find((a) => a.source === 'aave')?.healthFactor ?? null;
async function ask<T>(name: string, payload: unknown): Promise<T> {
  const r = await engine.request(name, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

beforeAll(async () => {
  aave = await startPaperAave(null, { wethPrice: 3_000 });
  const m = aave.endpoints.market;
  rig = await startTradingRig(71, 'dd-aave-ledger-', { aave: () => Promise.resolve({ rpcUrl: aave.endpoints.rpcUrl, chainId: aave.endpoints.chainId, pool: m.pool, oracle: m.oracle, reserves: m.reserves }) });
  await rig.host.handlers()['ledger.addAccount']({ accountIndex: 1, label: 'Aave on Ledger' });
  expect(rig.host.vault.ledgerAccounts.map((a) => a.address.toLowerCase())).toContain(aave.endpoints.paperAccount);
  await rig.host.vault.setBudget({ maxOrderNotionalUsd: 1e6, maxPositionUsd: { '*': 1e7 }, maxDailyHedgeNotionalUsd: 1e9, maxDailyCollateralUsd: 50_000 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
  const admin = new Wallet(DEV_DEPLOYER_KEY, localProvider(aave.endpoints.rpcUrl, aave.endpoints.chainId));
  await (await (new Contract(m.weth, ['function mint(address,uint256)'], admin).mint as (a: string, n: bigint) => Promise<{ wait: () => Promise<unknown> }>)(aave.endpoints.paperAccount, parseUnits('5', 18))).wait();
  engine = rig.makeEngine({
    monitorEvaluateMs: 100,
    aave: { market: { rpcUrl: aave.endpoints.rpcUrl, chainId: aave.endpoints.chainId, pool: m.pool, oracle: m.oracle, dataProvider: m.dataProvider, reserves: m.reserves }, accounts: [aave.endpoints.paperAccount], pollMs: 100 },
  });
  void engine.start();
  await until('the Aave account', () => hf() !== null, 10_000);
}, 30_000);
afterAll(async () => {
  await rig?.close();
  await aave?.close();
});

describe('an Aave account on a Ledger', () => {
  it('a top-up refused on the device fails loudly and moves nothing; approved, the Ledger signs the supply and the health factor reaches the target', async () => {
    const rule = { position: `aave:${aave.endpoints.paperAccount}`, mode: 'live', trigger: 1.3, target: 1.5, maxUsd: 20_000, minIntervalMs: 5_000, source: 'WETH', gasCapGwei: 50 };
    const status = async () => (await ask<TopUpStatus[]>('alerts.topUps', {})).find((s) => s.rule.position === rule.position)!;
    rig.ledger.settings.user = 'reject';
    await ask('alerts.topUp', rule);
    await aave.setWethPrice(2_100); // HF 1.155
    await until('a top-up refused on the Ledger', async () => (await status()).last?.what === 'failed', 10_000);
    expect((await status()).last!.detail).toMatch(/Rejected on the Ledger/);
    expect(hf()!).toBeLessThan(1.2);
    rig.ledger.settings.user = 'approve';
    await until('verified', async () => (await status()).last?.what === 'verified', 20_000);
    expect(hf()!).toBeGreaterThanOrEqual(1.495);
    const signed = (await rig.host.journal.recent(50)).filter((e) => e.scheme === 'transaction' && e.outcome === 'signed');
    expect(signed.length).toBeGreaterThan(0);
    expect(signed.every((e) => e.signer.kind === 'ledger' && e.signer.address.toLowerCase() === aave.endpoints.paperAccount)).toBe(true);
    expect(signed.some((e) => /^supply [\d.]+ WETH \(\$[\d.]+\) to the Aave pool$/.test(e.summary))).toBe(true);
    // The last thing the device was asked to approve was a transaction (not a blind message).
    expect(rig.ledger.lastReview[0]).toMatch(/^Transaction 0x[0-9a-f]{64}$/);
  }, 60_000);
});
