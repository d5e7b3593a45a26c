import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import type { DeriveSimOption } from '../../electron/sim/derive/derive-options.ts';
import { deriveRequirement } from '../../electron/venues/derive/standard-margin.ts';
import { RIG_PASSPHRASE, startTradingRig, until, type TradingRig } from '../support/trading-rig.ts';

/*
 * Derive options through the whole app's trading path: a session key the master registered (kept
 * in the vault, granted only options trading on one subaccount, with an expiry), the engine's
 * session logged in with its signature, every order signed in main after the budget guard and
 * journaled, the executor by label; a retried intent is the same order, and main refuses what it
 * should in words with nothing at the venue.
 */
let rig: TradingRig;
let engine: Engine;

beforeAll(async () => {
  rig = await startTradingRig(83, 'dd-derive-orders-', { derive: true });
  engine = rig.makeEngine({ executor: { statusDelayMs: 60, statusAttempts: 20 } });
  void engine.start();
  await until('Derive ready to trade', () => engine.orders.snapshot().gates.some((g) => g.venue === 'derive' && g.ready) && engine.orders.accountOf('derive') !== null, 15_000);
}, 30_000);
afterAll(() => rig.close());

const option = (): DeriveSimOption => rig.derive!.market.options.find((o) => o.coin === 'BTC' && o.kind === 'call' && o.asks.length > 1 && o.bids.length > 1 && o.ask > 200 && o.ask < 3000)!;
const ask = async <T>(name: string, payload: unknown): Promise<T> => {
  const r = await engine.request(name, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};
let n = 0;
const id = () => `drv-${Date.now()}-${++n}`;
type Row = { state: string; clientId: string; filled: number; avgPrice: number; reason: string | null };

describe('Derive through the engine, signed in main with a session key', () => {
  it('keeps the session key in the vault with its scope, subaccount and expiry, and Derive knows it', () => {
    const keys = rig.host.vault.describe().keys.filter((k) => k.venue === 'derive');
    expect(keys).toHaveLength(1);
    const k = keys[0]!;
    expect(k.role).toBe('agent');
    expect(k.agent).toMatchObject({ scopes: ['trade:orderbook:option'], network: 'paper' });
    expect(k.agent!.subaccountId).toBeGreaterThan(0);
    expect(k.agent!.validUntil! - Date.now()).toBeGreaterThan(47 * 3_600_000);
    const owner = rig.host.vault.describe().keys.find((x) => x.role === 'master')!.address;
    const atVenue = rig.derive!.trading.sessionKeysOf(owner);
    expect(atVenue.map((x) => [x.key, x.scopeCodes, x.subaccountIds])).toEqual([[k.address, [6], [k.agent!.subaccountId]]]);
    // The engine trades for the owner's wallet, learnt from main's login.
    expect(engine.orders.accountOf('derive')).toBe(owner.toLowerCase());
  });

  it('an option bought at the ask fills, the action journaled as signed by the session key; the same intent again is the same order', async () => {
    const o = option();
    const intentId = id();
    // The crowd requotes every step: a limit 10 % through the ask still fills at the ask's levels.
    const limit = Math.round(o.asks[0]![0] * 1.1);
    const place = () => ask<Row>('orders.place', { intentId, venue: 'derive', instrument: o.name, side: 'buy', size: 0.1, limit, tif: 'Ioc' });
    const [a, b] = await Promise.all([place(), place()]);
    expect(a, a.reason ?? '').toMatchObject({ state: 'filled', filled: 0.1 });
    expect(b.clientId).toBe(a.clientId);
    const owner = getAddress(engine.orders.accountOf('derive')!);
    const sub = rig.derive!.trading.subaccountsOf(owner)[0]!;
    expect(rig.derive!.trading.orders(sub, owner, { label: a.clientId })).toHaveLength(1);
    expect(rig.derive!.trading.positions(sub, owner).find((p) => p.instrument_name === o.name)?.amount).toBe('0.1');
    // One signature for the one order, by the session key, with the action's digest.
    const key = rig.host.vault.describe().keys.find((k) => k.venue === 'derive')!;
    const signed = (await rig.host.journal.recent(50)).filter((e) => e.scheme === 'derive-action' && e.outcome === 'signed' && e.summary.includes(o.name));
    expect(signed).toHaveLength(1);
    expect(signed[0]!.signer.address).toBe(key.address);
    expect(signed[0]!.digest).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('the Derive position joins the portfolio: USDC-settled, priced at Derive’s mark IV, its subaccount an account beside the others', async () => {
    const o = option();
    await engine.portfolio.pollVenues();
    const held = () => engine.portfolio.riskNow().positions.find((p) => p.def.source === 'derive' && p.def.instrument === o.name);
    const before = held()?.def.quantity ?? 0;
    const limit = Math.round(o.asks[0]![0] * 1.1);
    const filled = await ask<Row>('orders.place', { intentId: id(), venue: 'derive', instrument: o.name, side: 'buy', size: 0.2, limit, tif: 'Ioc' });
    expect(filled.state, filled.reason ?? '').toBe('filled');
    await engine.portfolio.pollVenues();
    const row = held()!;
    expect(row.def.quantity).toBeCloseTo(before + 0.2, 9);
    expect(row.def).toMatchObject({ type: 'option', settlement: 'linear', underlying: 'BTC', strike: o.strike, kind: 'call', expiry: o.expiry });
    expect(row.volSource).toBe('venue mark');
    expect(row.vol).toBeCloseTo(o.markIv, 2);
    // Long a call: positive delta, and a mark in USD near the venue's.
    expect(row.greeks.deltaCoin).toBeGreaterThan(0);
    expect(row.mark / o.mark).toBeGreaterThan(0.9);
    expect(row.mark / o.mark).toBeLessThan(1.1);
    const account = engine.portfolio.accounts().find((a) => a.source === 'derive')!;
    expect(account.account).toMatch(/^0x[0-9a-f]{4}…[0-9a-f]{4}\/\d+$/);
    expect(account.equityUsd).toBeGreaterThan(90_000);
    expect(account.error).toBeNull();
  });

  it('a short put on Derive carries Derive’s standard margin: the subaccount’s requirement is what the venue’s rule asks of what is held', async () => {
    const put = rig.derive!.market.options.find((o) => o.coin === 'BTC' && o.kind === 'put' && o.bids.length > 1 && o.bid > 200 && o.strike < o.index)!;
    const sold = await ask<Row>('orders.place', { intentId: id(), venue: 'derive', instrument: put.name, side: 'sell', size: 0.5, limit: Math.round(put.bids[0]![0] * 0.9), tif: 'Ioc' });
    expect(sold.state, sold.reason ?? '').toBe('filled');
    await engine.portfolio.pollVenues();
    const account = engine.portfolio.accounts().find((a) => a.source === 'derive')!;
    // What the venue's rule asks of the subaccount as held now (the long calls carry no credit: their value counts against them).
    const owner = getAddress(engine.orders.accountOf('derive')!);
    const sub = rig.derive!.trading.subaccountsOf(owner)[0]!;
    const heldNow = rig.derive!.trading.positions(sub, owner).map((p) => {
      const o = rig.derive!.market.byName.get(p.instrument_name)!;
      return { market: o.coin, kind: o.kind, strike: o.strike, expiry: o.expiry, amount: Number(p.amount), mark: o.mark, spot: o.index, forward: o.forward };
    });
    const need = deriveRequirement(heldNow);
    // 9 % of the index on half a contract, at least, for the put alone.
    expect(need.maintenanceUsd).toBeGreaterThan(0.09 * put.index * 0.5);
    expect(account.maintenanceUsd! / need.maintenanceUsd).toBeCloseTo(1, 1);
    expect(account.marginUsedUsd! / need.initialUsd).toBeCloseTo(1, 1);
    expect(account.marginUsedUsd!).toBeGreaterThan(account.maintenanceUsd!);
  });

  it('refuses, in words and with nothing at the venue: an order over the budget, a max fee over the schedule, and anything while the vault is locked', async () => {
    const o = option();
    const owner = getAddress(engine.orders.accountOf('derive')!);
    const sub = rig.derive!.trading.subaccountsOf(owner)[0]!;
    const before = rig.derive!.trading.orders(sub, owner, {}).length;
    // 20 BTC of options is $1.8M of underlying against a $1M order limit.
    const big = await ask<Row>('orders.place', { intentId: id(), venue: 'derive', instrument: o.name, side: 'buy', size: 20, limit: o.asks[0]![0], tif: 'Ioc' }).catch((e: Error) => ({ state: 'error', reason: e.message }) as Row);
    expect(`${big.state} ${big.reason}`).toMatch(/rejected .*budget|error .*budget/);
    const fee = await rig.host.signing.signForEngine({ venue: 'derive', kind: 'send', method: 'private/order', params: { instrument_name: o.name, direction: 'buy', order_type: 'limit', time_in_force: 'ioc', limit_price: String(o.ask), amount: '0.1', max_fee: '5000', label: 'x', reduce_only: false }, purpose: 'manual' });
    expect(fee.ok ? 'signed' : fee.error.message).toMatch(/max fee of 5000 USDC .* over/);
    rig.host.vault.lock('test');
    const locked = await rig.host.signing.signForEngine({ venue: 'derive', kind: 'login' });
    expect(locked.ok ? 'signed' : locked.error.message).toMatch(/vault is locked/);
    expect(rig.derive!.trading.orders(sub, owner, {}).length).toBe(before);
  });

  it('revoke-all deletes the session key here and says Derive keeps it registered until it expires; nothing signs for Derive after', async () => {
    await rig.host.vault.unlock(RIG_PASSPHRASE);
    const { revoked } = await rig.host.signing.revokeAll({ kind: 'passphrase', passphrase: RIG_PASSPHRASE });
    expect(revoked.find((r) => r.startsWith('Derive'))).toMatch(/^Derive session key "desk" \(0x[0-9a-fA-F]{6}…\) deleted here; Derive keeps it registered until \d{4}-\d\d-\d\dT\d\d:\d\d UTC with no key to sign$/);
    expect(rig.host.vault.describe().keys.some((k) => k.venue === 'derive')).toBe(false);
    await rig.host.vault.unlock(RIG_PASSPHRASE);
    const login = await rig.host.signing.signForEngine({ venue: 'derive', kind: 'login' });
    expect(login.ok ? 'signed' : login.error.message).toMatch(/no live Derive session key/);
  });
});
