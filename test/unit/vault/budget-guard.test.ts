import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VenueView } from '../../../electron/vault/guard/venue-view.ts';
import { SignatureJournal } from '../../../electron/vault/signature-journal.ts';
import { SigningService } from '../../../electron/vault/signing-service.ts';
import { Vault } from '../../../electron/vault/vault.ts';

/*
 * Every way the wave-1 guard could be talked past, each reproduced: the guard now reads the
 * action that is signed and the positions main asks the venue for, and reserves usage before it
 * signs. Mid prices are round so the refusals can be read: BTC $100,000.
 */
const PASS = 'orbit-canvas-tulip-87-ledger';
const MASTER = '0x14791697260e4c9a71f18484c9f997b308e59325';
const LIMITS = { maxOrderNotionalUsd: 20_000, maxPositionUsd: { '*': 50_000, BTC: 250_000 }, maxDailyHedgeNotionalUsd: 30_000, maxDailyCollateralUsd: 5_000 };

let dir: string;
let vault: Vault;
let journal: SignatureJournal;
let service: SigningService;
let clock: number;
let view: VenueView;
let agentId: string;
let viewReads = 0;

function freshView(): VenueView {
  return { coins: ['BTC', 'ETH', 'toString', '__proto__'], mids: new Map([['BTC', 100_000], ['ETH', 4_000], ['toString', 100], ['__proto__', 100]]), positions: new Map(), openBuys: new Map(), openSells: new Map() };
}

async function setUp(): Promise<void> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-guard-'));
  vault = new Vault(path.join(dir, 'vault.json'), { scryptCost: { N: 2 ** 10, r: 8, p: 1 }, now: () => clock });
  await vault.load();
  await vault.create(PASS);
  journal = new SignatureJournal(path.join(dir, 'signatures.jsonl'), () => clock);
  await journal.load();
  view = freshView();
  viewReads = 0;
  service = new SigningService({
    vault,
    journal,
    ledger: null,
    hyperliquid: { network: 'paper', post: () => Promise.resolve({ status: 'ok', response: { type: 'default' } }) },
    venueView: async (user) => {
      expect(user).toBe(MASTER);
      viewReads++;
      await new Promise((r) => setTimeout(r, 1));
      return view;
    },
    now: () => clock,
  });
  const agent = await vault.generateKey({ label: 'hedger (agent)', role: 'agent', venue: 'hyperliquid', agent: { master: MASTER, name: 'hedger', validUntil: clock + 86_400_000 * 30, approvedAt: clock, approvedWith: 'local', network: 'paper' } });
  agentId = agent.id;
}

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 30, 12);
  await setUp();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const approve = (limits: typeof LIMITS | (Omit<typeof LIMITS, 'maxPositionUsd'> & { maxPositionUsd: Record<string, number> }) = LIMITS) => vault.setBudget(limits, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
const leg = (a: number, isBuy: boolean, px: string, sz: string, reduceOnly = false) => ({ a, b: isBuy, p: px, s: sz, r: reduceOnly, t: { limit: { tif: 'Gtc' } } });
const order = (...legs: ReturnType<typeof leg>[]) => ({ type: 'order', orders: legs, grouping: 'na' });
const sign = (action: Record<string, unknown>) => service.signL1({ agentKeyId: agentId, action, purpose: 'hedge' });

describe('the budget guard reads the action it signs', () => {
  it('refuses an order with no budget approved, whatever the caller calls it', async () => {
    await expect(sign(order(leg(0, true, '100000', '0.01')))).rejects.toThrow(/no budget approved yet/);
  });

  it('refuses a trading action it cannot classify, or a malformed one, and journals the refusal', async () => {
    await approve();
    await expect(sign({ type: 'twapOrder', twap: { a: 0, b: true, s: '10', r: false, m: 60, t: false } })).rejects.toThrow(/cannot read the "twapOrder" action/);
    await expect(sign({ type: 'order', orders: [{ ...leg(0, true, '100000', '0.01'), s: 'NaN' }], grouping: 'na' })).rejects.toThrow(/cannot read the "order" action/);
    await expect(sign({ orders: [] })).rejects.toThrow(/no type DeltaDesk can read/);
    const lines = await journal.recent(10);
    expect(lines.filter((l) => l.outcome === 'refused')).toHaveLength(3);
  });

  it('values a 10 BTC order at its size and price: nothing the caller says makes it $0', async () => {
    await approve();
    await expect(sign(order(leg(0, true, '100000', '10')))).rejects.toThrow('budget: order notional (buy 10 BTC) $1,000,000 is over the limit of $20,000 by $980,000');
    // A sell priced far below the market still trades at the market: valued at the mid.
    await expect(sign(order(leg(0, false, '1', '1')))).rejects.toThrow(/order notional \(sell 1 BTC\) \$100,000/);
  });

  it('the kill switch: a reduce-only flatten passes past every limit; the purpose alone, or reduce-only alone, does not', async () => {
    await approve();
    view.positions.set('BTC', -12);
    // 12 BTC bought back: $1.2 M, over the order, daily and position limits, but it can only shrink the short.
    const flatten = (action: Record<string, unknown>) => service.signL1({ agentKeyId: agentId, action, purpose: 'flatten' });
    await expect(flatten(order(leg(0, true, '100500', '12', true)))).resolves.toHaveProperty('signature.r');
    await expect(flatten(order(leg(0, true, '100500', '1', false)))).rejects.toThrow(/order notional \(buy 1 BTC\) \$100,500 is over the limit/);
    await expect(sign(order(leg(0, true, '100500', '1', true)))).rejects.toThrow(/over the limit/);
    await expect(flatten(order(leg(0, true, '100500', '1', true), leg(0, true, '100500', '1', false)))).rejects.toThrow(/over the limit/);
    const signed = (await journal.recent(10)).filter((l) => l.outcome === 'signed');
    expect(signed).toHaveLength(1);
    expect(signed[0]!.intent).toMatchObject({ kind: 'order', purpose: 'flatten', notionalUsd: 1_206_000, reducesOnly: true });
    // It spent none of the day's hedge budget: a hedge still fits.
    expect(journal.usage().hedgeNotionalUsd).toBe(0);
    await expect(sign(order(leg(0, true, '100000', '0.1')))).resolves.toHaveProperty('signature.r');
  });

  it('a "reduce-only" order on a position that does not exist is held to the position limit', async () => {
    await approve({ ...LIMITS, maxOrderNotionalUsd: 1e9, maxDailyHedgeNotionalUsd: 1e10 });
    view.positions.set('ETH', 0);
    await expect(sign(order(leg(1, false, '4000', '20', true)))).rejects.toThrow('budget: ETH position after the order $80,000 is over the limit of $50,000 by $30,000');
    // With a real 20 ETH long on the venue, the same order reduces it and signs.
    view.positions.set('ETH', 20);
    await expect(sign(order(leg(1, false, '4000', '20', true)))).resolves.toHaveProperty('signature.r');
  });

  it('position limits use the venue positions and resting orders main read, not a claim', async () => {
    await approve({ ...LIMITS, maxOrderNotionalUsd: 1e9, maxDailyHedgeNotionalUsd: 1e10 });
    view.positions.set('BTC', 2.4);
    await expect(sign(order(leg(0, true, '100000', '0.2')))).rejects.toThrow('budget: BTC position after the order $260,000 is over the limit of $250,000 by $10,000');
    view.positions.set('BTC', 2);
    view.openBuys.set('BTC', 0.4);
    await expect(sign(order(leg(0, true, '100000', '0.2')))).rejects.toThrow(/BTC position after the order \$260,000/);
    // Reducing a position already over its limit is allowed.
    view.positions.set('BTC', 3);
    view.openBuys.clear();
    await expect(sign(order(leg(0, false, '100000', '0.1')))).resolves.toBeTruthy();
  });

  it('an underlying named "toString" or "__proto__" has the default limit, not none', async () => {
    await approve({ ...LIMITS, maxPositionUsd: { '*': 1_000 }, maxOrderNotionalUsd: 1e9, maxDailyHedgeNotionalUsd: 1e10 });
    await expect(sign(order(leg(2, true, '100', '20')))).rejects.toThrow('budget: toString position after the order $2,000 is over the limit of $1,000 by $1,000');
    await expect(sign(order(leg(3, true, '100', '20')))).rejects.toThrow('budget: __proto__ position after the order $2,000 is over the limit of $1,000 by $1,000');
  });

  it('collateral amounts must be whole micro-dollars; a removal is counted, never credited', async () => {
    await approve();
    await expect(sign({ type: 'updateIsolatedMargin', asset: 1, isBuy: true, ntli: Number.NaN })).rejects.toThrow(/cannot read the "updateIsolatedMargin" action/);
    await expect(sign({ type: 'updateIsolatedMargin', asset: 1, isBuy: true, ntli: 0 })).rejects.toThrow(/margin change of zero/);
    await expect(sign({ type: 'updateIsolatedMargin', asset: 1, isBuy: true, ntli: -3_000_000_000 })).resolves.toBeTruthy();
    expect(journal.usage().collateralUsd).toBe(3_000);
    await expect(sign({ type: 'updateIsolatedMargin', asset: 1, isBuy: true, ntli: 2_500_000_000 })).rejects.toThrow('budget: collateral moved in the last 24 h would be $5,500 is over the limit of $5,000 by $500');
  });

  it('ten concurrent $600 orders against a $1,000 daily limit: exactly one signs', async () => {
    await approve({ ...LIMITS, maxDailyHedgeNotionalUsd: 1_000 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => sign(order(leg(0, true, '100000', '0.006')))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as Error).message);
    expect(refusals).toHaveLength(9);
    for (const m of refusals) expect(m).toMatch(/signed in the last 24 h would be \$1,200 is over the limit of \$1,000/);
    expect(journal.usage().hedgeNotionalUsd).toBeCloseTo(600, 6);
    expect(viewReads).toBe(10);
  });

  it('concurrent orders each count the others toward the position limit', async () => {
    await approve({ ...LIMITS, maxOrderNotionalUsd: 1e9, maxDailyHedgeNotionalUsd: 1e10, maxPositionUsd: { '*': 50_000, BTC: 250_000 } });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => sign(order(leg(0, true, '100000', '1')))));
    // $100k each: two fit under $250k, the third would make $300k.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
  });

  it('the daily limits are a rolling 24 hours: no double limit around 00:00 UTC', async () => {
    await approve({ ...LIMITS, maxDailyHedgeNotionalUsd: 1_000, maxOrderNotionalUsd: 1_000 });
    clock = Date.UTC(2026, 10, 30, 23, 59);
    await sign(order(leg(0, true, '100000', '0.009')));
    clock = Date.UTC(2026, 11, 1, 0, 1);
    await expect(sign(order(leg(0, true, '100000', '0.009')))).rejects.toThrow(/in the last 24 h would be \$1,800/);
    // A restart rebuilds the same window from the journal.
    const reread = new SignatureJournal(path.join(dir, 'signatures.jsonl'), () => clock);
    await reread.load();
    expect(reread.usage().hedgeNotionalUsd).toBeCloseTo(900, 6);
    clock = Date.UTC(2026, 11, 1, 23, 59, 1);
    await expect(sign(order(leg(0, true, '100000', '0.009')))).resolves.toBeTruthy();
  });

  it('cancels need no budget, still refuse nothing readable, and are journaled', async () => {
    await expect(sign({ type: 'cancel', cancels: [{ a: 0, o: 17 }] })).resolves.toBeTruthy();
    await expect(sign({ type: 'scheduleCancel', time: clock + 10_000 })).resolves.toBeTruthy();
    expect(viewReads).toBe(0);
    expect((await journal.recent(5)).map((l) => l.outcome)).toEqual(['signed', 'signed']);
  });

  it('an unreadable venue refuses the signature instead of guessing positions', async () => {
    await approve();
    const blind = new SigningService({ vault, journal, ledger: null, hyperliquid: { network: 'paper', post: () => Promise.reject(new Error('x')) }, venueView: () => Promise.reject(new Error('fetch failed')), now: () => clock });
    await expect(blind.signL1({ agentKeyId: agentId, action: order(leg(0, true, '100000', '0.01')), purpose: 'manual' })).rejects.toThrow(/positions could not be read \(fetch failed\)/);
  });
});
