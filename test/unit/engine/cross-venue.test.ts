import { describe, expect, it } from 'vitest';
import { findMispricings } from '../../../electron/engine/options/mispricing.ts';
import { OptionsBoard } from '../../../electron/engine/options/options-board.ts';
import { fitSlice } from '../../../electron/engine/options/surface-fit.ts';
import type { OptionTicker } from '../../../electron/venues/deribit/normalise.ts';
import type { OptionContract, PeerListing, PeerQuote } from '../../../shared/domain/options.ts';

/*
 * One chain across two pools: Deribit's contracts with the same contract on Derive as the row's
 * peer, quoted in USD. A bid on one venue above the other's offer after both fees is a cross-venue
 * edge with the size both touches carry; combinations take each leg from the venue that is best.
 */
const now = Date.UTC(2026, 11, 1);
const expiry = Date.UTC(2026, 11, 25, 8);
const INDEX = 100_000;
const DERIVE_FEE = { baseUsd: 0.5, rateOfIndex: 0.0003, premiumCap: 0.125 };

const contract = (row: number, strike: number, kind: 'call' | 'put'): OptionContract => ({
  row, name: `BTC-25DEC26-${strike}-${kind === 'call' ? 'C' : 'P'}`, underlying: 'BTC', expiry, strike, kind, settlement: 'inverse', tick: 0.0001, tickStepAbove: 0.005, tickAbove: 0.0005, minTradeAmount: 0.1,
});
const listing = (strike: number, kind: 'call' | 'put'): PeerListing => ({
  venue: 'derive', name: `BTC-20261225-${strike}-${kind === 'call' ? 'C' : 'P'}`, underlying: 'BTC', expiry, strike, kind, settlement: 'linear', tickUsd: 1, amountStep: 0.01, fee: DERIVE_FEE,
});
const ticker = (c: OptionContract, bidCoin: number, askCoin: number, size = 5): OptionTicker => ({
  name: c.name, time: now, receivedAt: 0, bid: bidCoin, ask: askCoin, bidSize: size, askSize: size, mark: (bidCoin + askCoin) / 2, bidIv: 0.5, askIv: 0.52, markIv: 0.51, forward: INDEX, index: INDEX, openInterest: 1, venue: null,
});
const peerQuote = (l: PeerListing, bidUsd: number, askUsd: number, bidSize = 2, askSize = 2): PeerQuote => ({
  venue: 'derive', name: l.name, time: now, receivedAt: 0, bidUsd, askUsd, bidSize, askSize, markUsd: (bidUsd + askUsd) / 2, bidIv: 0.5, askIv: 0.52, markIv: 0.51, forward: INDEX, index: INDEX,
});

describe('one chain across venues', () => {
  it('links the same contract on both venues, quotes the peer in USD on the row, and clears a peer no longer listed', () => {
    const board = new OptionsBoard();
    const call = contract(0, 100_000, 'call');
    board.setChain([call, contract(1, 102_000, 'call')]);
    const v0 = board.version;
    expect(board.setPeers('derive', [listing(100_000, 'call'), listing(104_000, 'call')])).toBe(true);
    expect(board.version).toBe(v0 + 1);
    expect(board.contracts[0]!.peer?.name).toBe('BTC-20261225-100000-C');
    // Derive lists 104,000 which Deribit does not: no row to land in; 102,000 has no peer.
    expect(board.contracts[1]!.peer).toBeUndefined();
    expect(board.applyPeerQuote(peerQuote(listing(104_000, 'call'), 100, 110))).toBeUndefined();
    expect(board.applyPeerQuote(peerQuote(listing(100_000, 'call'), 2410, 2450, 1.5, 0.7))?.row).toBe(0);
    expect([board.get(0, 'peerBid'), board.get(0, 'peerAsk'), board.get(0, 'peerBidSize'), board.get(0, 'peerAskSize')]).toEqual([2410, 2450, 1.5, 0.7]);
    // Relisting the same names changes nothing (no new chain for the screen on every reconnect).
    expect(board.setPeers('derive', [listing(100_000, 'call'), listing(104_000, 'call')])).toBe(false);
    expect(board.setPeers('derive', [])).toBe(true);
    expect(board.contracts[0]!.peer).toBeUndefined();
    expect(Number.isNaN(board.get(0, 'peerBid'))).toBe(true);
    // A Deribit chain arriving after Derive's listing is linked at once.
    board.setPeers('derive', [listing(102_000, 'call')]);
    board.setChain([contract(0, 100_000, 'call'), contract(1, 102_000, 'call')]);
    expect(board.contracts[1]!.peer?.venue).toBe('derive');
    // Deribit lists its chain again (a new expiry joined: new rows, in another order): every contract
    // still listed keeps its quotes on its new row — Deribit's and Derive's, which Derive will not
    // send again until it moves; a new contract starts empty.
    board.applyTicker(ticker(board.contracts[1]!, 0.02, 0.021));
    board.applyPeerQuote(peerQuote(listing(102_000, 'call'), 1990, 2030, 0.8, 0.6));
    board.setChain([contract(0, 98_000, 'call'), contract(1, 100_000, 'call'), contract(2, 102_000, 'call')]);
    expect([board.get(2, 'peerBid'), board.get(2, 'peerAsk'), board.get(2, 'peerBidSize'), board.get(2, 'peerTime')]).toEqual([1990, 2030, 0.8, now]);
    expect([board.get(2, 'bid'), board.get(2, 'ask')]).toEqual([0.02, 0.021]);
    expect(Number.isNaN(board.get(0, 'bid'))).toBe(true);
    // 100,000 was quoted on Derive before, but Derive no longer lists it: no peer quote on its row.
    expect([0, 1].map((r) => board.get(r, 'peerBid')).every(Number.isNaN)).toBe(true);
    // Derive quoted before Deribit listed anything (it connected first): the row takes that quote.
    const early = new OptionsBoard();
    early.setPeers('derive', [listing(100_000, 'put'), listing(104_000, 'call')]);
    expect(early.applyPeerQuote(peerQuote(listing(100_000, 'put'), 3100, 3150))).toBeUndefined();
    early.applyPeerQuote(peerQuote(listing(104_000, 'call'), 900, 950));
    // …and a quote of an option Derive no longer lists is forgotten, not shown on a later row.
    early.setPeers('derive', [listing(100_000, 'put')]);
    early.setChain([contract(0, 100_000, 'put'), contract(1, 104_000, 'call')]);
    expect([early.get(0, 'peerBid'), early.get(0, 'peerAsk')]).toEqual([3100, 3150]);
    expect(early.contracts[1]!.peer).toBeUndefined();
    expect(Number.isNaN(early.get(1, 'peerBid'))).toBe(true);
  });

  it('finds the same contract bid on Derive above its Deribit offer, net of both venues’ fees, at the size both show', () => {
    const board = new OptionsBoard();
    const call = contract(0, 100_000, 'call');
    board.setChain([call]);
    board.setPeers('derive', [listing(100_000, 'call')]);
    // Deribit offers 0.0240 BTC = $2,400 (fee min(0.03 % × 100,000, 12.5 % × 2,400) = $30).
    board.applyTicker(ticker(call, 0.0235, 0.024, 5));
    // Derive bids $2,480 for 1.2 (fee $0.50 + $30).
    board.applyPeerQuote(peerQuote(listing(100_000, 'call'), 2480, 2520, 1.2, 3));
    const cross = findMispricings(board, 'BTC', board.contracts, now).filter((m) => m.kind === 'cross-venue');
    expect(cross).toHaveLength(1);
    const m = cross[0]!;
    expect(m.legs.map((l) => `${l.side} ${l.venue} ${l.name}`)).toEqual(['buy deribit BTC-25DEC26-100000-C', 'sell derive BTC-20261225-100000-C']);
    expect(m.edge).toBeCloseTo(2480 - 30.5 - (2400 + 30), 9);
    expect(m.size).toBe(1.2);
    expect(m.detail).toMatch(/\$19\.50 a contract after both fees, \$23\.40 for the 1\.2 shown/);
    // Fees eat a smaller gap: Derive's bid $2,455 crosses Deribit's offer but not after $60.50 of fees.
    board.applyPeerQuote(peerQuote(listing(100_000, 'call'), 2455, 2520));
    expect(findMispricings(board, 'BTC', board.contracts, now).filter((x) => x.kind === 'cross-venue')).toEqual([]);
    // The other way round: Deribit's bid above Derive's offer.
    board.applyPeerQuote(peerQuote(listing(100_000, 'call'), 2200, 2250, 1, 0.4));
    const back = findMispricings(board, 'BTC', board.contracts, now).find((x) => x.kind === 'cross-venue')!;
    expect(back.legs.map((l) => `${l.side} ${l.venue}`)).toEqual(['buy derive', 'sell deribit']);
    expect(back.edge).toBeCloseTo(2350 - 30 - (2250 + 0.5 + 30), 9);
    expect(back.size).toBe(0.4);
  });

  it('builds a vertical from the best touch on either venue', () => {
    const board = new OptionsBoard();
    const lo = contract(0, 100_000, 'call');
    const hi = contract(1, 102_000, 'call');
    board.setChain([lo, hi]);
    board.setPeers('derive', [listing(102_000, 'call')]);
    // On Deribit alone the spread is fine: 100k ask $2,400 vs 102k bid $1,600.
    board.applyTicker(ticker(lo, 0.0235, 0.024));
    board.applyTicker(ticker(hi, 0.016, 0.0165));
    expect(findMispricings(board, 'BTC', board.contracts, now).filter((m) => m.kind === 'vertical')).toEqual([]);
    // Derive bids the 102k call above Deribit's 100k offer: buy 100k on Deribit, sell 102k on Derive.
    board.applyPeerQuote(peerQuote(listing(102_000, 'call'), 2500, 2600));
    const v = findMispricings(board, 'BTC', board.contracts, now).find((m) => m.kind === 'vertical')!;
    expect(v.legs.map((l) => `${l.side} ${l.venue} ${l.contract}`)).toEqual(['sell derive BTC-25DEC26-102000-C', 'buy deribit BTC-25DEC26-100000-C']);
    expect(v.edge).toBeCloseTo(2500 - 30.5 - 2430, 9);
    expect(v.detail).toMatch(/across venues/);
  });

  it('fits one surface to both venues’ marks', () => {
    const board = new OptionsBoard();
    const contracts: OptionContract[] = [];
    for (let K = 80_000; K <= 120_000; K += 5000) contracts.push(contract(contracts.length, K, K >= INDEX ? 'call' : 'put'));
    board.setChain(contracts);
    board.setPeers('derive', contracts.map((c) => listing(c.strike, c.kind)));
    const at = (iv: number) => (c: OptionContract): OptionTicker => ({ ...ticker(c, 0.01, 0.011), markIv: iv, time: now });
    for (const c of contracts) board.applyTicker(at(0.5)(c));
    const alone = fitSlice(board, contracts, now)!;
    for (const c of contracts) board.applyPeerQuote({ ...peerQuote(c.peer!, 900, 1000), markIv: 0.6 });
    const joint = fitSlice(board, contracts, now)!;
    expect(joint.quotes).toBe(alone.quotes * 2);
    const atmVol = (s: typeof joint) => Math.sqrt((s.a + s.b * (-s.rho * s.m + Math.sqrt(s.m * s.m + s.sigma * s.sigma))) / s.time);
    expect(atmVol(alone)).toBeCloseTo(0.5, 3);
    // Equal vega weights: the joint surface sits midway between the two venues' 50 % and 60 %.
    expect(atmVol(joint)).toBeCloseTo(0.55, 2);
  });
});
