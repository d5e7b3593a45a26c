import { performance } from 'node:perf_hooks';
import type { Instrument } from '../shared/domain/instruments.ts';
import type { PortfolioSnapshot } from '../shared/domain/portfolio.ts';
import { projectPerp } from '../shared/domain/ticket.ts';
import { perpContext } from '../shared/domain/perp-context.ts';
import { startTradingRig, until } from '../test/support/trading-rig.ts';
import { opsPerSecond, percentile, type Row } from './measure.ts';

/*
 * Deribit's order path from the ticket's confirm: the engine's command, the executor, main's
 * guard (which reads the index, the positions and the open orders from Deribit itself), the
 * signature journal on disk, and main's trading connection — timed until the simulator has the
 * `private/buy` frame. Everything shares one thread here, so the simulators' market barely moves
 * (their steps would otherwise sit in the engine's tail). Then the book's hover: the projection of every level for one side.
 */
export async function benchDeribitOrderPath(): Promise<Row[]> {
  let arrived = 0;
  const rig = await startTradingRig(17, 'dd-bench-deribit-', { deribit: true, stillMarket: true, observeDeribit: (m) => m === 'private/buy' && (arrived = performance.now()) });
  try {
    const engine = rig.makeEngine({ actionTimeoutMs: 2_000 });
    void engine.start();
    await until('Deribit ready to trade', () => engine.orders.snapshot().gates.some((g) => g.venue === 'deribit' && g.ready), 15_000);
    const coin = rig.server.market.coin('BTC')!;
    const wire: number[] = [];
    // The signature journal's append (its fdatasync) timed on its own: the disk's share of the path.
    const journalMs: number[] = [];
    const append = rig.host.journal.append.bind(rig.host.journal);
    rig.host.journal.append = (e) => {
      const t = performance.now();
      const done = append(e); // the write and its fdatasync happen inside this call
      journalMs.push(performance.now() - t);
      return done;
    };
    // 12 orders a second, a fast trader's pace: Deribit's credits (20 requests/s sustained) are not
    // what is measured here.
    for (let i = 0; i < 130; i++) {
      await new Promise((r) => setTimeout(r, 80));
      // Resting bids well under the market: each is a new order, nothing fills.
      const limit = Math.round(coin.book.bestBidTicks * coin.tick * 0.8) - i;
      const t0 = performance.now();
      const r = await engine.request('orders.place', { intentId: `bench-dbt-${i}`, venue: 'deribit', instrument: 'BTC-PERPETUAL', side: 'buy', size: 10, limit, tif: 'Gtc' });
      if (!r.ok) throw new Error(r.error.message);
      if (i >= 20) wire.push(arrived - t0);
    }
    await engine.orders.cancelAll('deribit').catch(() => undefined);
    wire.sort((a, b) => a - b);
    const disk = journalMs.slice(20).sort((a, b) => a - b);
    return [
      { bench: 'Deribit: ticket confirm → private/buy at the venue (engine, main’s guard reading Deribit, journal fsync, main’s connection), p50 / p99', result: `${percentile(wire, 50).toFixed(2)} / ${percentile(wire, 99).toFixed(2)} ms`, against: 'limit p99 5 ms', ratio: `${(percentile(wire, 99) / 5).toFixed(2)}× of limit` },
      { bench: '  of which the signature journal’s append with fdatasync, p50 / p99', result: `${percentile(disk, 50).toFixed(2)} / ${percentile(disk, 99).toFixed(2)} ms`, against: 'the wire figure above', ratio: `${((percentile(disk, 99) / percentile(wire, 99)) * 100).toFixed(0)} % of its p99` },
      hoverRow(),
    ];
  } finally {
    await rig.close();
  }
}

/** One hover: the account read from the portfolio, and every level of a 20-level side projected. */
function hoverRow(): Row {
  const inst: Instrument = { id: 'hyperliquid:BTC-PERP', venue: 'hyperliquid', kind: 'perp', venueSymbol: 'BTC', symbol: 'BTC-PERP', base: 'BTC', quote: 'USD', sizeDecimals: 5, maxPriceDecimals: 1, priceSigFigs: 5, maxLeverage: 40 };
  const snapshot = { computedAt: 0, positions: [], totals: [], accounts: [{ source: 'hyperliquid', account: '0xabc', equityUsd: 100_000, marginUsedUsd: 0, maintenanceUsd: 0, updatedAt: 0, error: null }], notices: [], settingsFile: null } as unknown as PortfolioSnapshot;
  const levels = Array.from({ length: 20 }, (_, i) => ({ price: 97_000 + i, size: 0.3 + (i % 5) * 0.2 }));
  let sink = 0;
  const rate = opsPerSecond(() => {
    const ctx = perpContext(snapshot, inst, '0xabc', 96_999.5);
    if (typeof ctx === 'string') throw new Error(ctx);
    let size = 0;
    let cost = 0;
    for (const l of levels) {
      size += l.size;
      cost += l.size * l.price;
      sink += projectPerp(ctx, 'buy', size, cost / size, true, 96_999.5).liqAfter ?? 0;
    }
  }, 2_000);
  if (sink === 0) throw new Error('projection produced nothing');
  const us = 1e6 / rate;
  return { bench: 'book hover: account context + all 20 levels of a side projected (delta, margin, liquidation), per hover', result: `${us.toFixed(1)} µs`, against: 'one frame at 60 Hz, 16,667 µs', ratio: `${(us / 16_667).toExponential(1)} of a frame` };
}
