import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import { startPaperAave, type PaperAave } from '../../electron/sim/aave/paper-aave.ts';
import type { Alert, AlertsSnapshot } from '../../shared/domain/alerts.ts';
import { startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';
import { Contract, Wallet, parseUnits } from 'ethers';
import { localProvider } from '../../electron/sim/aave/deploy-market.ts';
import { DEV_DEPLOYER_KEY } from '../../electron/sim/aave/local-evm.ts';
import { PAPER_BORROWER_KEY } from '../../electron/sim/aave/paper-aave.ts';
import type { TopUpStatus } from '../../shared/domain/top-up.ts';
import { startRpcProxy, type RpcProxy } from '../support/rpc-proxy.ts';

/*
 * The health factor of a real Aave v3 market (deployed from Aave's own compiled contracts on a
 * local EVM) through the whole engine (issue "Monitoring", items 3, 4 and 6): the paper borrower
 * starts near 1.65; an oracle drop walks it through info, warning and critical, and the critical
 * one is handed to main to notify; the chain reverted to its snapshot brings it back and the
 * alert clears. Snapshot and revert between tests, as on any shared chain. The engine reads the
 * chain through a proxy a test can take down; each way a top-up can fail alerts with its reason.
 */
let rig: TradingRig;
let aave: PaperAave;
let engine: Engine;
const notified: Alert[] = [];
let snapshot = '';
let proxy: RpcProxy;
const rpc = async (method: string, params: unknown[] = []): Promise<unknown> =>
  ((await (await fetch(aave.endpoints.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })).json()) as { result: unknown }).result;
const hf = () => engine.portfolio.accounts().find((a) => a.source === 'aave')?.healthFactor ?? null;
const active = async () => ((await engine.request('alerts.list', {})) as { ok: true; value: AlertsSnapshot }).value.active;
const hfAlert = async () => ((await engine.request('alerts.list', {})) as { ok: true; value: AlertsSnapshot }).value.active.find((a) => a.rule === 'health-factor');

beforeAll(async () => {
  aave = await startPaperAave(null, { wethPrice: 3_000 });
  const m = aave.endpoints.market;
  const reserves = m.reserves;
  rig = await startTradingRig(97, 'dd-aave-', { aave: () => Promise.resolve({ rpcUrl: aave.endpoints.rpcUrl, chainId: aave.endpoints.chainId, pool: m.pool, oracle: m.oracle, reserves }) });
  // The paper borrower's key in the vault (a public development key: this chain only), and 5 WETH in its wallet.
  await rig.host.vault.importPrivateKey(PAPER_BORROWER_KEY, { label: 'Aave paper', role: 'master', venue: 'any' });
  const admin = new Wallet(DEV_DEPLOYER_KEY, localProvider(aave.endpoints.rpcUrl, aave.endpoints.chainId));
  await (await (new Contract(m.weth, ['function mint(address,uint256)'], admin).mint as (a: string, n: bigint) => Promise<{ wait: () => Promise<unknown> }>)(aave.endpoints.paperAccount, parseUnits('5', 18))).wait();
  proxy = await startRpcProxy(aave.endpoints.rpcUrl);
  engine = rig.makeEngine({
    monitorEvaluateMs: 100,
    notify: (a) => notified.push(a),
    aave: { market: { rpcUrl: proxy.url, chainId: aave.endpoints.chainId, pool: m.pool, oracle: m.oracle, dataProvider: m.dataProvider, reserves }, accounts: [aave.endpoints.paperAccount], pollMs: 100 },
  });
  void engine.start();
  await until('the Aave account', () => hf() !== null, 10_000);
  snapshot = (await rpc('evm_snapshot')) as string;
}, 30_000);
beforeEach(async () => {
  proxy.down = false;
  // Each test starts from the chain as deployed; a snapshot is used up by its revert.
  await rpc('evm_revert', [snapshot]);
  snapshot = (await rpc('evm_snapshot')) as string;
});
afterAll(async () => {
  await rig?.close();
  await proxy?.close();
  await aave?.close();
});

const ask = async <T,>(name: string, payload: unknown): Promise<T> => {
  const r = await engine.request(name, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};
const liveRule = () => ({ position: `aave:${aave.endpoints.paperAccount}`, mode: 'live', trigger: 1.3, target: 1.5, maxUsd: 20_000, minIntervalMs: 5_000, source: 'WETH', gasCapGwei: 50 });
const topUpStatus = async (position: string) => (await ask<TopUpStatus[]>('alerts.topUps', {})).find((s) => s.rule.position === position)!;
const budget = () => rig.host.vault.setBudget({ maxOrderNotionalUsd: 1e6, maxPositionUsd: { '*': 1e7 }, maxDailyHedgeNotionalUsd: 1e9, maxDailyCollateralUsd: 1e6 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
const failedAlert = async () => (await active()).find((a) => a.subject === `event:top-up:aave:${aave.endpoints.paperAccount}`);

describe('Aave health factor through the engine', () => {
  it('reads the paper borrower from the real contracts: 10 WETH against 15,000 USDC, health factor 1.65', async () => {
    await until('1.65', () => Math.abs((hf() ?? 0) - 1.65) < 1e-6, 3_000);
    const acct = engine.portfolio.accounts().find((a) => a.source === 'aave')!;
    expect(acct.marginUsedUsd).toBeCloseTo(15_000, 0);
    expect(acct.equityUsd).toBeCloseTo(30_000 - 15_000, 0);
    expect(await hfAlert()).toBeUndefined();
  });

  it('an oracle drop walks the alert up to critical and main is asked to notify; the chain put back clears it', async () => {
    await aave.setWethPrice(2_400); // HF 1.32: under 1.5
    await until('info', async () => (await hfAlert())?.level === 'info', 5_000);
    await aave.setWethPrice(2_100); // 1.155: under 1.25
    await until('warning', async () => (await hfAlert())?.level === 'warning', 5_000);
    await aave.setWethPrice(1_950); // 1.0725: under 1.1
    await until('critical', async () => (await hfAlert())?.level === 'critical', 5_000);
    const a = (await hfAlert())!;
    expect(a.message).toMatch(/^Aave 0x7099…79c8: health factor 1\.07\d \(alert below 1\.10; liquidation below 1\.00\), debt \$15\.0K$/);
    expect(notified.some((n) => n.rule === 'health-factor' && n.level === 'critical')).toBe(true);
    await rpc('evm_revert', [snapshot]);
    snapshot = (await rpc('evm_snapshot')) as string;
    await until('cleared', async () => (await hfAlert()) === undefined, 5_000);
  }, 20_000);

  it('a top-up supplies WETH from the wallet, signed by main against the collateral budget, and the health factor reaches the target', async () => {
    const rule = liveRule();
    const status = () => topUpStatus(rule.position);
    // The rig's budget allows no collateral: the first attempt is refused by main, loudly.
    await ask('alerts.topUp', rule);
    await aave.setWethPrice(2_100); // HF 1.155
    await until('a refused top-up', async () => (await status()).last?.what === 'failed', 8_000);
    expect((await status()).last!.detail).toMatch(/collateral moved in the last 24 h would be/);
    await budget();
    await ask('alerts.topUp', rule);
    await until('verified', async () => (await status()).last?.what === 'verified', 15_000);
    expect(hf()).toBeGreaterThanOrEqual(1.495);
    expect((await status()).last!.detail).toMatch(/^Aave 0x7099…: health factor now 1\.5\d\d \(was 1\.15\d\)$/);
    // The signature journal has the transactions main signed, as it read them.
    const signed = (await rig.host.journal.recent(50)).filter((e) => e.scheme === 'transaction' && e.outcome === 'signed').map((e) => e.summary);
    expect(signed.some((s) => /^supply [\d.]+ WETH \(\$[\d.]+\) to the Aave pool$/.test(s))).toBe(true);
  }, 40_000);

  it('a wallet short of the collateral fails loudly with what it holds, and nothing is sent', async () => {
    await budget();
    const rule = liveRule();
    await ask('alerts.topUp', { ...rule, target: 1.6 });
    const sentBefore = (await rig.host.journal.recent(200)).filter((e) => e.scheme === 'transaction').length;
    await aave.setWethPrice(1_700); // HF 0.935 → 1.6 needs about 6.6 WETH; the wallet holds 5
    await until('failed', async () => (await topUpStatus(rule.position)).last?.what === 'failed', 12_000);
    const detail = (await topUpStatus(rule.position)).last!.detail;
    expect(detail).toMatch(/^the wallet holds 5 WETH, less than the \d+\.\d+ WETH to supply$/);
    expect(Number(/than the ([\d.]+) WETH/.exec(detail)![1])).toBeGreaterThan(5);
    const alert = (await failedAlert())!;
    expect(alert.level).toBe('critical');
    expect(alert.message).toMatch(/^Top-up of \$[\d,.]+K? on Aave 0x7099… failed: the wallet holds 5 WETH/);
    expect(notified.some((n) => n.key === alert.key)).toBe(true);
    expect((await rig.host.journal.recent(200)).filter((e) => e.scheme === 'transaction').length).toBe(sentBefore);
    await ask('alerts.ack', { key: alert.key });
    await ask('alerts.topUp', { ...rule, mode: 'off' });
  }, 30_000);

  it('a transaction Aave refuses (the reserve frozen) fails in Aave’s words', async () => {
    await budget();
    const admin = new Wallet(DEV_DEPLOYER_KEY, localProvider(aave.endpoints.rpcUrl, aave.endpoints.chainId));
    const configurator = new Contract(aave.endpoints.market.configurator, ['function setReserveFreeze(address,bool)'], admin);
    await (await (configurator.setReserveFreeze as (a: string, f: boolean) => Promise<{ wait: () => Promise<unknown> }>)(aave.endpoints.market.weth, true)).wait();
    const rule = liveRule();
    const from = Date.now();
    await ask('alerts.topUp', rule);
    await aave.setWethPrice(2_100);
    await until('failed', async () => ((await topUpStatus(rule.position)).last?.at ?? 0) >= from && (await topUpStatus(rule.position)).last?.what === 'failed', 12_000);
    expect((await topUpStatus(rule.position)).last!.detail).toBe('Aave refused: the reserve is frozen (code 28)');
    const alert = (await failedAlert())!;
    expect(alert.level).toBe('critical');
    expect(alert.message).toMatch(/failed: Aave refused: the reserve is frozen \(code 28\)$/);
    await ask('alerts.ack', { key: alert.key });
    await ask('alerts.topUp', { ...rule, mode: 'off' });
  }, 30_000);

  it('the RPC down: Aave reads as a stale feed, warning then critical, and the armed top-up says it cannot act; both clear when the RPC is back', async () => {
    // Quicker thresholds than the defaults (5 s / 30 s), so the escalation fits the test.
    await ask('alerts.rule', { rule: 'stale-feed', settings: { enabled: true, info: null, warning: 3, critical: 12, hysteresis: 1 } });
    const rule = liveRule();
    await ask('alerts.topUp', rule);
    await until('watching', async () => (await topUpStatus(rule.position)).state === 'watching', 5_000);
    proxy.down = true;
    const stale = async () => (await active()).find((a) => a.rule === 'stale-feed' && a.subject === 'aave');
    await until('a stale Aave feed', async () => (await stale())?.level === 'warning', 10_000);
    expect((await stale())!.message).toMatch(/^Aave: account 0x7099…79c8 last read \d+ s ago \(alert after 3 s\); Aave could not be read: .+; its health factor on screen is that old and top-ups on it wait$/);
    const blind = async () => (await active()).find((a) => a.rule === 'automation' && a.subject === `top-up:${rule.position}`);
    // The account read goes stale after 10 s, and a top-up blind that long is raised.
    await until('the top-up blind', async () => (await blind())?.level === 'critical', 30_000);
    expect((await blind())!.message).toMatch(/^Top-up on Aave 0x7099…79c8 \(live\) cannot act for \d+ s: the Aave account was read \d+ s ago \(Aave could not be read: /);
    expect((await stale())?.level).toBe('critical');
    expect(notified.some((n) => n.rule === 'stale-feed' && n.subject === 'aave' && n.level === 'critical')).toBe(true);
    proxy.down = false;
    await until('both cleared', async () => (await stale()) === undefined && (await blind()) === undefined, 10_000);
    expect((await topUpStatus(rule.position)).state).toBe('watching');
    await ask('alerts.topUp', { ...rule, mode: 'off' });
  }, 90_000);
});
