import { AutoHedger } from '../electron/engine/hedge/auto-hedger.ts';
import { DEFAULT_AUTO_HEDGE, type HedgePreview } from '../shared/domain/hedge.ts';
import { startTradingRig, until } from '../test/support/trading-rig.ts';
import { percentile, type Row } from './measure.ts';

/*
 * Hedge to target, timed through the whole engine against the Hyperliquid simulator with the
 * real vault (issue "Hedging", item 8): the preview (the plan the overlay shows), the confirm
 * up to the venue's answer (planned again, guarded, signed, both journals, sent, matched and
 * answered on loopback — an upper bound on "to the wire"), and one auto-hedger check.
 */
export async function benchHedgePath(): Promise<Row[]> {
  let arrivedAt = 0;
  const rig = await startTradingRig(61, 'dd-bench-hedge-', {
    observeHyperliquid: (payload) => {
      if ((payload as { action?: { type?: string } }).action?.type === 'order') arrivedAt = performance.now();
    },
  });
  const engine = rig.makeEngine();
  try {
    void engine.start();
    await until('markets and the account', () => engine.state.books.has('hyperliquid:BTC-PERP') && engine.orders.accountOf('hyperliquid') !== null, 15_000);
    const ask = async <T>(name: string, payload: unknown): Promise<T> => {
      const r = await engine.request(name, payload);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as T;
    };
    const preview: number[] = [];
    const confirm: number[] = [];
    const wire: number[] = [];
    for (let i = 0; i < 130; i++) {
      // Alternate the target so every round has something to hedge (0.002 BTC either way).
      await ask('hedge.target', { underlying: 'BTC', delta: i % 2 ? 0 : 0.002, venue: 'hyperliquid' });
      const t0 = performance.now();
      const p = await ask<HedgePreview>('hedge.preview', { underlying: 'BTC', fraction: 1 });
      const t1 = performance.now();
      if (!p.result.ok) throw new Error(p.result.reason);
      await ask('hedge.confirm', { id: p.id });
      const t2 = performance.now();
      if (i >= 30) {
        preview.push(t1 - t0);
        confirm.push(t2 - t1);
        wire.push(arrivedAt - t1);
      }
      await until('the fill in the book', () => Math.abs((engine.portfolio.riskNow().totals.find((t) => t.underlying === 'BTC')?.greeks.deltaCoin ?? 0) - (i % 2 ? 0 : 0.002)) < 0.0002, 5_000);
    }
    // One auto-hedger check inside its band: the cost it adds to every tick it runs on.
    const auto = new AutoHedger({ hedge: engine.hedge, orders: engine.orders, journal: null, now: Date.now });
    auto.configure({ ...DEFAULT_AUTO_HEDGE, underlying: 'BTC', mode: 'shadow', band: { kind: 'fixed', halfWidthCoins: 1 } });
    const checks: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const t = performance.now();
      await auto.checkAll();
      checks.push(performance.now() - t);
    }
    preview.sort((a, b) => a - b);
    confirm.sort((a, b) => a - b);
    wire.sort((a, b) => a - b);
    checks.sort((a, b) => a - b);
    return [
      { bench: 'hedge preview in the engine (plan from the live book and book risk), p50 / p99', result: `${percentile(preview, 50).toFixed(2)} / ${percentile(preview, 99).toFixed(2)} ms`, against: 'one frame 16.7 ms', ratio: `${(percentile(preview, 99) / 16.7).toFixed(2)}× of a frame` },
      { bench: 'hedge confirm → order at the venue (re-plan, guard, sign, both journals, over loopback), p50 / p99', result: `${percentile(wire, 50).toFixed(2)} / ${percentile(wire, 99).toFixed(2)} ms`, against: 'limit p99 5 ms', ratio: `${(percentile(wire, 99) / 5).toFixed(2)}× of limit` },
      { bench: 'hedge confirm → venue answer back in the engine (the above, matched, answered), p50 / p99', result: `${percentile(confirm, 50).toFixed(2)} / ${percentile(confirm, 99).toFixed(2)} ms`, against: '–', ratio: '–' },
      { bench: 'auto-hedger check (inside the band), p50 / p99', result: `${(percentile(checks, 50) * 1000).toFixed(0)} / ${(percentile(checks, 99) * 1000).toFixed(0)} µs`, against: 'its 1 s check interval', ratio: `${((percentile(checks, 99) / 1000) * 100).toFixed(3)} % of it` },
    ];
  } finally {
    await rig.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./measure.ts');
  printTable(await benchHedgePath());
  process.exit(0);
}
