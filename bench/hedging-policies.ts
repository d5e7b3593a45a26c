import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { policyLabel, simulatePolicies, straddleVega, type HedgePolicy, type PolicyResult } from '../electron/engine/hedge/policy-sim.ts';
import { discreteHedgingErrorStd } from '../electron/engine/hedge/theory.ts';
import { findChromium } from '../test/support/chromium.ts';
import type { Row } from './measure.ts';

/*
 * The hedging trade-off, measured (issue "Hedging", item 6): 1,000 seeded paths of a short
 * 1-BTC ATM straddle (30 days, 60 % vol, the hedger looking every 15 minutes), hedged with a perp
 * at Hyperliquid's taker fee plus a 1 bp half-spread, under no hedge, fixed intervals, fixed
 * bands and Whalley–Wilmott bands. Prints the table for docs/hedging.md, marks the policies on
 * the cost–risk frontier, checks interval hedging without costs against Derman–Kamal, and draws
 * docs/hedging-frontier.png (Chromium renders the SVG; without Chromium only the SVG is written).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HEDGE_SIM = { spot: 100_000, vol: 0.6, days: 30, stepsPerDay: 96, size: 1, costFraction: 0.00045 + 0.0001, paths: 1_000, seed: 20_261_202 };

const POLICIES: HedgePolicy[] = [
  { kind: 'none' },
  { kind: 'interval', everySteps: 1 },
  { kind: 'interval', everySteps: 4 },
  { kind: 'interval', everySteps: 16 },
  { kind: 'interval', everySteps: 96 },
  { kind: 'fixed-band', halfWidth: 0.02 },
  { kind: 'fixed-band', halfWidth: 0.05 },
  { kind: 'fixed-band', halfWidth: 0.1 },
  { kind: 'fixed-band', halfWidth: 0.2 },
  { kind: 'whalley-wilmott', riskAversion: 0.001 },
  { kind: 'whalley-wilmott', riskAversion: 0.0001 },
  { kind: 'whalley-wilmott', riskAversion: 0.00001 },
];

/** On the frontier: no other policy is cheaper and less risky at once. */
function onFrontier(r: PolicyResult, all: PolicyResult[]): boolean {
  return !all.some((o) => o !== r && o.meanCost <= r.meanCost && o.stdPnl <= r.stdPnl && (o.meanCost < r.meanCost || o.stdPnl < r.stdPnl));
}

export async function benchHedgingPolicies(): Promise<Row[]> {
  const t0 = performance.now();
  const results = simulatePolicies(HEDGE_SIM, POLICIES);
  const seconds = (performance.now() - t0) / 1000;
  const vega = Math.abs(straddleVega(HEDGE_SIM));
  const steps = HEDGE_SIM.days * HEDGE_SIM.stepsPerDay;
  const free = simulatePolicies({ ...HEDGE_SIM, costFraction: 0, paths: 400 }, [{ kind: 'interval', everySteps: 4 }]);
  const dk = discreteHedgingErrorStd({ vol: HEDGE_SIM.vol, vega, rebalances: steps / 4 });
  const lines = ['| policy | hedges | mean cost $ | std of PnL $ | mean PnL $ | frontier |', '|---|---:|---:|---:|---:|:-:|'];
  for (const r of results) lines.push(`| ${policyLabel(r.policy, HEDGE_SIM.stepsPerDay)} | ${r.meanTrades.toFixed(0)} | ${r.meanCost.toFixed(0)} | ${r.stdPnl.toFixed(0)} | ${r.meanPnl.toFixed(0)} | ${onFrontier(r, results) ? '●' : ''} |`);
  console.log(`\nHedging a short 1-BTC ATM straddle, ${HEDGE_SIM.paths} paths (${seconds.toFixed(1)} s):\n${lines.join('\n')}`);
  console.log(`Derman–Kamal, hourly hedging without costs: simulated std ${free[0]!.stdPnl.toFixed(0)} $, formula ${dk.toFixed(0)} $ (ratio ${(free[0]!.stdPnl / dk).toFixed(3)})`);
  await drawFrontier(results);
  return [
    { bench: 'hedging policies: 12 policies × 1,000 paths × 2,880 steps', result: `${seconds.toFixed(1)} s`, against: 'docs/hedging.md', ratio: '–' },
    { bench: 'discrete hedging error (hourly, no costs)', result: `${free[0]!.stdPnl.toFixed(0)} $`, against: `Derman–Kamal ${dk.toFixed(0)} $`, ratio: `${(free[0]!.stdPnl / dk).toFixed(3)}×` },
  ];
}

function placeLabels(results: PolicyResult[], x: (c: number) => number, y: (s: number) => number, W: number): string[] {
  const placed: { x0: number; x1: number; y0: number; y1: number }[] = [];
  const colour = { none: '#9aa4b2', interval: '#5aa9ff', 'fixed-band': '#f2b84b', 'whalley-wilmott': '#4fd18b' } as const;
  return [...results]
    .sort((a, b) => a.meanCost - b.meanCost)
    .map((r) => {
      const label = policyLabel(r.policy, HEDGE_SIM.stepsPerDay);
      const width = label.length * 7;
      const px = x(r.meanCost);
      const left = px + 10 + width > W - 10;
      const x0 = left ? px - 10 - width : px + 10;
      let ty = y(r.stdPnl) - 8;
      while (placed.some((b) => x0 < b.x1 && x0 + width > b.x0 && ty - 12 < b.y1 && ty + 2 > b.y0)) ty += 15;
      placed.push({ x0, x1: x0 + width, y0: ty - 12, y1: ty + 2 });
      return `<circle cx="${px}" cy="${y(r.stdPnl)}" r="6" fill="${colour[r.policy.kind]}"/><text x="${x0}" y="${ty}" fill="#e6edf3">${label}</text>`;
    });
}

async function drawFrontier(results: PolicyResult[]): Promise<void> {
  const W = 900;
  const H = 520;
  const pad = { l: 80, r: 30, t: 40, b: 60 };
  const maxCost = Math.max(...results.map((r) => r.meanCost)) * 1.08;
  // Risk on a log scale: not hedging is ten times the spread of any hedge.
  const lo = Math.log10(Math.min(...results.map((r) => r.stdPnl)) * 0.8);
  const hi = Math.log10(Math.max(...results.map((r) => r.stdPnl)) * 1.25);
  const x = (c: number): number => pad.l + (c / maxCost) * (W - pad.l - pad.r);
  const y = (s: number): number => H - pad.b - ((Math.log10(s) - lo) / (hi - lo)) * (H - pad.t - pad.b);
  const stdTicks = [300, 500, 1000, 2000, 5000, 10_000, 20_000].filter((v) => Math.log10(v) >= lo && Math.log10(v) <= hi);
  const frontier = results.filter((r) => onFrontier(r, results)).sort((a, b) => a.meanCost - b.meanCost);
  const ticks = (max: number): number[] => Array.from({ length: 6 }, (_, i) => (max / 5) * i);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#0f141b"/>`,
    `<text x="${pad.l}" y="24" fill="#e6edf3" font-size="15">Hedging a short 1-BTC ATM straddle: cost against risk (${HEDGE_SIM.paths} paths, 30 days, 60 % vol, fee + spread ${(HEDGE_SIM.costFraction * 1e4).toFixed(1)} bp)</text>`,
    ...ticks(maxCost).map((c) => `<line x1="${x(c)}" x2="${x(c)}" y1="${pad.t}" y2="${H - pad.b}" stroke="#222b36"/><text x="${x(c)}" y="${H - pad.b + 18}" fill="#9aa4b2" text-anchor="middle">${c.toFixed(0)}</text>`),
    ...stdTicks.map((s) => `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(s)}" y2="${y(s)}" stroke="#222b36"/><text x="${pad.l - 8}" y="${y(s) + 4}" fill="#9aa4b2" text-anchor="end">${s.toFixed(0)}</text>`),
    `<text x="${(W + pad.l) / 2}" y="${H - 16}" fill="#e6edf3" text-anchor="middle">mean hedging cost, USD</text>`,
    `<text x="18" y="${(H + pad.t - pad.b) / 2}" fill="#e6edf3" text-anchor="middle" transform="rotate(-90 18 ${(H + pad.t - pad.b) / 2})">standard deviation of PnL, USD (log scale)</text>`,
    `<polyline fill="none" stroke="#4fd18b" stroke-dasharray="4 4" points="${frontier.map((r) => `${x(r.meanCost)},${y(r.stdPnl)}`).join(' ')}"/>`,
    // Labels right of their point (left near the right edge), nudged down past any label already placed.
    ...placeLabels(results, x, y, W),
    `</svg>`,
  ].join('\n');
  const svgFile = path.join(root, 'docs/hedging-frontier.svg');
  await writeFile(svgFile, svg);
  const exe = findChromium();
  if (!exe) return console.log('no Chromium: wrote docs/hedging-frontier.svg only');
  const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: W, height: H } });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path: path.join(root, 'docs/hedging-frontier.png') });
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./measure.ts');
  printTable(await benchHedgingPolicies());
}
