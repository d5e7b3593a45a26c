import { computeLadder } from '../electron/engine/portfolio/ladder.ts';
import { scenarioGrid } from '../electron/engine/risk/scenario-grid.ts';
import type { RiskPosition } from '../electron/engine/risk/positions.ts';
import { Random } from '../electron/sim/random.ts';
import type { LadderInputs, RiskInput } from '../shared/domain/portfolio.ts';
import { latencyRows, measureInChromium } from './chromium-latency.ts';
import { opsPerSecond, percentile, type Row } from './measure.ts';

const DAY = 86_400_000;
const FRAME_MS = 1000 / 60;

/** A 200-position book: 180 options over 6 expiries and 40 strikes, and 20 perp hedges. */
function book(now: number): RiskInput[] {
  const rng = new Random(5);
  const out: RiskInput[] = [];
  for (let i = 0; i < 180; i++) {
    out.push({
      id: `o${i}`,
      type: 'option',
      quantity: Math.round((rng.next() - 0.5) * 40) || 1,
      kind: rng.next() < 0.5 ? 'call' : 'put',
      strike: 60_000 + 1000 * Math.floor(rng.next() * 80),
      expiry: now + [2, 9, 30, 58, 93, 184][i % 6]! * DAY,
      settlement: 'inverse',
      vol: 0.4 + rng.next() * 0.4,
      forward: 96_000 * (1 + 0.0005 * (i % 6)),
    });
  }
  for (let i = 0; i < 20; i++) out.push({ id: `p${i}`, type: 'perp', quantity: -1 - i, entryPrice: 95_000, mark: 96_050 });
  return out;
}

/**
 * The Greeks ladder for 200 positions × 41 prices × 3 vols (the shift and ± the vol step), against
 * one display frame (the limit) and against the same grid through the general scenario grid
 * of the risk core (one Greeks object per position per cell).
 */
export async function benchPortfolioLadder(seconds = 8): Promise<Row[]> {
  const now = Date.UTC(2026, 10, 25, 12);
  const positions = book(now);
  const inputs: LadderInputs = { computedAt: now, spot: 96_020, numeraire: 'usd', spec: { underlying: 'BTC', step: 1000, rows: 41, volShift: 0, volStep: 5, days: 0, includeWhatIf: true }, positions };
  const withPayoff = 1000 / opsPerSecond(() => computeLadder(inputs), 20);
  const reuse = computeLadder(inputs).payoff;
  const perSecond = opsPerSecond(() => computeLadder(inputs, [], undefined, reuse), 20);
  const ms = 1000 / perSecond;
  const risk: RiskPosition[] = positions.map((p) => ({ ...p, underlying: 'BTC' }));
  const spotShifts = Array.from({ length: 41 }, (_, i) => (i - 20) * (1000 / 96_020));
  const gridPerSecond = opsPerSecond(() => scenarioGrid(risk, 'BTC', { spot: 96_020 }, now, { spotShifts, volShifts: [-5, 0, 5], days: [0] }), 5);
  const rows: Row[] = [
    {
      bench: 'Greeks ladder compute, 200 positions × 41 prices × 3 vols',
      result: `${ms.toFixed(2)} ms per ladder`,
      against: `one 60 Hz frame ${FRAME_MS.toFixed(1)} ms`,
      ratio: `${(ms / FRAME_MS * 100).toFixed(0)} % of a frame`,
    },
    {
      bench: '  with the payoff curves (81 prices × 2, refreshed every 250 ms)',
      result: `${withPayoff.toFixed(2)} ms per ladder`,
      against: `one 60 Hz frame ${FRAME_MS.toFixed(1)} ms`,
      ratio: `${((withPayoff / FRAME_MS) * 100).toFixed(0)} % of a frame`,
    },
    {
      bench: '  same 123 scenarios via the risk core scenario grid',
      result: `${(1000 / gridPerSecond).toFixed(2)} ms per grid`,
      against: 'ladder compute',
      ratio: `ladder ${(perSecond / gridPerSecond).toFixed(2)}× the grid's speed`,
    },
  ];
  const s = await measureInChromium({
    viewport: { width: 1600, height: 940 },
    prepare: async (page) => {
      await page.waitForSelector('.workspace-tabs');
      await page.keyboard.press('p');
      await page.waitForSelector('.ladder-row.spot', { timeout: 20_000 });
      await new Promise((r) => setTimeout(r, 1000));
    },
    series: { dom: '__deltadeskLadderLatency', arrival: '__deltadeskLadderRender' },
    seconds,
  });
  const [toScreen] = latencyRows(`ladder recompute → on screen, Chromium (${(s.dom.length / seconds).toFixed(0)} ladder updates/s)`, '', { dom: s.dom, arrival: [] });
  rows.push(toScreen!, {
    bench: '  React render of the ladder (41 rows × 5 columns) per update',
    result: `p50 ${percentile(s.arrival, 50).toFixed(2)} ms, p99 ${percentile(s.arrival, 99).toFixed(2)} ms`,
    against: `one 60 Hz frame ${FRAME_MS.toFixed(1)} ms`,
    ratio: `p99 = ${((percentile(s.arrival, 99) / FRAME_MS) * 100).toFixed(0)} % of a frame`,
  });
  return rows;
}
