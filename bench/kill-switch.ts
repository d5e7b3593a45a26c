import { PAPER_BORROWER_KEY, startPaperAave } from '../electron/sim/aave/paper-aave.ts';
import type { DivestPlan } from '../shared/domain/divest.ts';
import { startTradingRig, until } from '../test/support/trading-rig.ts';
import { percentile, type Row } from './measure.ts';

/*
 * The kill switch against the simulators with the real vault (issue "Kill switch", item 7):
 * from the typed word's execute to the last cancel arriving at each venue, with ten orders resting
 * on each; and the time to flat for the paper book — four Deribit options, a perp hedge on each
 * venue, and the Aave borrower's debt on the local EVM — sliced against the live books.
 */
export async function benchKillSwitch(): Promise<Row[]> {
  // When each venue's cancel-all arrived (0: not yet this round).
  const cancels = { hyperliquid: 0, deribit: 0 };
  const aave = await startPaperAave(null, { wethPrice: 3_000 });
  const m = aave.endpoints.market;
  const rig = await startTradingRig(173, 'dd-bench-kill-', {
    deribit: true,
    aave: () => Promise.resolve({ rpcUrl: aave.endpoints.rpcUrl, chainId: aave.endpoints.chainId, pool: m.pool, oracle: m.oracle, reserves: m.reserves }),
    observeHyperliquid: (payload) => {
      const type = (payload as { action?: { type?: string } }).action?.type;
      // The venue-wide cancel (by order id, every open order): the moment the book is clear of ours.
      if (type === 'cancel' && !cancels.hyperliquid) cancels.hyperliquid = performance.now();
    },
    observeDeribit: (method) => {
      if (method === 'private/cancel_all' && !cancels.deribit) cancels.deribit = performance.now();
    },
  });
  await rig.host.vault.importPrivateKey(PAPER_BORROWER_KEY, { label: 'Aave paper', role: 'master', venue: 'any' });
  const engine = rig.makeEngine({
    deribitPollMs: 1_000,
    aave: { market: { rpcUrl: aave.endpoints.rpcUrl, chainId: aave.endpoints.chainId, pool: m.pool, oracle: m.oracle, dataProvider: m.dataProvider, reserves: m.reserves }, accounts: [aave.endpoints.paperAccount], pollMs: 200 },
    divest: { refillMs: 100 },
  });
  const ask = async <T>(name: string, payload: unknown): Promise<T> => {
    const r = await engine.request(name, payload);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
  try {
    void engine.start();
    await until('venues, options and debt', () => engine.orders.snapshot().gates.length === 2 && engine.orders.snapshot().gates.every((g) => g.ready && (g.venue !== 'hyperliquid' || g.account !== null)) && engine.portfolio.riskNow().positions.filter((p) => p.def.source === 'deribit').length === 4 && (engine.aave!.data(aave.endpoints.paperAccount)?.debtUsd ?? 0) > 0, 30_000);
    let n = 0;
    const rest = async (): Promise<void> => {
      const btc = rig.server.market.coin('BTC')!.mid;
      await Promise.all(Array.from({ length: 10 }, (_, i) => ask('orders.place', { intentId: `bench-kill-${++n}`, venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.001, limit: Math.round(btc * (0.8 - i * 0.001)) })));
      await Promise.all(Array.from({ length: 10 }, (_, i) => ask('orders.place', { intentId: `bench-kill-${++n}`, venue: 'deribit', instrument: 'BTC-PERPETUAL', side: 'buy', size: 10, limit: Math.round(btc * (0.8 - i * 0.001)) })));
    };
    // Time to flat: the paper book, with a hedge on each perp venue and orders resting.
    await ask('orders.place', { intentId: 'bk-hl-hedge', venue: 'hyperliquid', instrument: 'BTC', side: 'sell', size: 0.5, limit: null });
    const btc = rig.server.market.coin('BTC')!.mid;
    await ask('orders.place', { intentId: 'bk-db-hedge', venue: 'deribit', instrument: 'BTC-PERPETUAL', side: 'sell', size: 2_000, limit: Math.round(btc * 0.99), tif: 'Ioc' });
    await rest();
    await until('the hedges in the book', () => engine.portfolio.riskNow().positions.filter((p) => p.def.type === 'perp').length === 2, 10_000);
    const plan = await ask<DivestPlan>('divest.plan', { scope: 'all' });
    const legs = plan.steps.flatMap((s) => s.legs).length;
    const t0 = performance.now();
    await ask('divest.execute', { id: plan.id, confirm: 'FLATTEN' });
    await engine.divest.settled();
    const flatMs = performance.now() - t0;
    const report = engine.divest.snapshot().run!.report!;
    // Kill → every cancel on the wire, ten orders resting on each venue, twenty rounds.
    const toWire: number[] = [];
    for (let round = 0; round < 20; round++) {
      await rest();
      const p = await ask<DivestPlan>('divest.plan', { scope: 'all' });
      cancels.hyperliquid = 0;
      cancels.deribit = 0;
      const t = performance.now();
      await ask('divest.execute', { id: p.id, confirm: 'FLATTEN' });
      await engine.divest.settled();
      if (cancels.hyperliquid && cancels.deribit) toWire.push(Math.max(cancels.hyperliquid, cancels.deribit) - t);
    }
    if (process.env.KILL_BENCH_VERBOSE) console.log(toWire.map((x) => x.toFixed(0)).join(" "));
    toWire.sort((a, b) => a - b);
    return [
      { bench: 'kill switch: execute → both venues\' cancel-all on the wire (10 orders resting on each), p50 / p99', result: `${percentile(toWire, 50).toFixed(1)} / ${percentile(toWire, 99).toFixed(1)} ms`, against: 'limit 250 ms', ratio: `${(percentile(toWire, 99) / 250).toFixed(2)}× of limit` },
      { bench: `kill switch: the paper book to flat (${legs} legs: 4 options, 2 perps, Aave debt; ${report.notFlat.length} not flat)`, result: `${(flatMs / 1000).toFixed(1)} s`, against: 'limit 30 s', ratio: `${(flatMs / 30_000).toFixed(2)}× of limit` },
    ];
  } finally {
    await rig.close();
    await aave.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./measure.ts');
  printTable(await benchKillSwitch());
  process.exit(0);
}
