import { findMispricings } from '../electron/engine/options/mispricing.ts';
import { OptionsBoard } from '../electron/engine/options/options-board.ts';
import { fitSlice, writeFitIvs } from '../electron/engine/options/surface-fit.ts';
import { black76 } from '../electron/engine/pricing/black.ts';
import type { OptionContract, PeerListing } from '../shared/domain/options.ts';
import { openBrowser } from '../test/e2e/support/browser.ts';
import { startHeadlessApp } from '../test/e2e/support/headless-app.ts';
import { percentile, type Row } from './measure.ts';

/*
 * The cross-venue scan (issue "Derive", item 7). First its cost: 2 venues × 1,000 options of one
 * underlying (10 expiries × 50 strikes × call and put on Deribit, every one also listed on Derive),
 * both quoting around one smile with noise of their own so some pairs cross, scanned for every
 * kind (cross-venue, off-surface, vertical, butterfly, calendar) as the engine does every 100 ms.
 * Then a Derive misquote to its row on screen, through the real app in Chromium.
 */
const NOW = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;
const F0 = 100_000;

function board(): { board: OptionsBoard; contracts: OptionContract[] } {
  const b = new OptionsBoard();
  const contracts: OptionContract[] = [];
  const peers: PeerListing[] = [];
  let seed = 7;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  for (let e = 0; e < 10; e++) {
    const expiry = NOW + (7 + 14 * e) * DAY;
    for (let s = 0; s < 50; s++) {
      const strike = 60_000 + s * 2_000;
      for (const kind of ['call', 'put'] as const) {
        const name = `BTC-${e}-${strike}-${kind === 'call' ? 'C' : 'P'}`;
        contracts.push({ row: contracts.length, name, underlying: 'BTC', expiry, strike, kind, settlement: 'inverse', tick: 0.0001, tickStepAbove: 0.005, tickAbove: 0.0005, minTradeAmount: 0.1 });
        peers.push({ venue: 'derive', name: `D-${name}`, underlying: 'BTC', expiry, strike, kind, settlement: 'linear', tickUsd: 1, amountStep: 0.01, fee: { baseUsd: 0.5, rateOfIndex: 0.0003, premiumCap: 0.125 } });
      }
    }
  }
  b.setChain(contracts);
  b.setPeers('derive', peers);
  for (const c of contracts) {
    const T = (c.expiry - NOW) / (365 * DAY);
    const k = Math.log(c.strike / F0);
    const iv = 0.5 + 0.3 * k * k - 0.1 * k;
    const px = (v: number): number => {
      const r = black76(c.kind, F0, c.strike, T, v);
      return r.ok ? r.value.price : NaN;
    };
    // Derive a vol point or two off Deribit, its spread a little wider: some pairs cross, most do not.
    const d = 0.05 * rand();
    b.applyTicker({ name: c.name, time: NOW, receivedAt: 0, bid: px(iv - 0.01) / F0, ask: px(iv + 0.01) / F0, bidSize: 5, askSize: 5, mark: px(iv) / F0, bidIv: iv - 0.01, askIv: iv + 0.01, markIv: iv, forward: F0, index: F0, openInterest: 1, venue: null });
    b.applyPeerQuote({ venue: 'derive', name: `D-${c.name}`, time: NOW, receivedAt: 0, bidUsd: px(iv + d - 0.012), askUsd: px(iv + d + 0.012), bidSize: 2, askSize: 2, markUsd: px(iv + d), bidIv: iv + d - 0.012, askIv: iv + d + 0.012, markIv: iv + d, forward: F0, index: F0 });
  }
  for (let e = 0; e < 10; e++) {
    const cs = contracts.filter((c) => c.expiry === contracts[e * 100]!.expiry);
    const slice = fitSlice(b, cs, NOW);
    if (slice) writeFitIvs(b, cs, slice);
  }
  return { board: b, contracts };
}

function scanCost(): Row {
  const { board: b, contracts } = board();
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < 230; i++) {
    const t0 = performance.now();
    found = findMispricings(b, 'BTC', contracts, NOW).length;
    if (i >= 30) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p99 = percentile(times, 99);
  return {
    bench: `cross-venue scan, 2 venues × 1,000 options of one underlying (${found} findings)`,
    result: `p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
    against: 'one 60 Hz frame 16.7 ms (the scan runs on the engine thread every 100 ms)',
    ratio: `p99 = ${(p99 / (1000 / 60)).toFixed(2)} frames; ${((percentile(times, 50) / 100) * 100).toFixed(1)} % of the engine thread`,
  };
}

const SAMPLES = 12;

async function edgeOnScreen(): Promise<Row> {
  const app = await startHeadlessApp();
  const browser = await openBrowser({ width: 1600, height: 940 });
  try {
    const page = browser.page;
    await page.goto(app.url);
    await page.waitForSelector('.workspace-tabs');
    await page.keyboard.press('o');
    await page.waitForSelector('[data-testid="smile-chart"][data-fitted="yes"]', { timeout: 20_000 });
    await page.keyboard.press('v');
    await page.waitForFunction(() => [...document.querySelectorAll('.chain-body .chain-row.atm ~ .chain-row .side.call .px.peer')].some((e) => /Derive \S+:/.test(e.getAttribute('title') ?? '')), undefined, { timeout: 20_000 });
    const names = await page.evaluate(() => [...document.querySelectorAll('.chain-body .side.call .px.peer')].map((e) => /Derive (\S+):/.exec(e.getAttribute('title') ?? '')?.[1]).filter((n): n is string => Boolean(n)));
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const name = names[(names.length >> 1) + (i % 3) - 1]!;
      const strike = name.split('-')[2]!;
      const seen = page.evaluate(
        (s) =>
          new Promise<number>((resolve) => {
            const check = (): boolean => {
              if (!document.querySelector(`[data-testid="mispricing"].kind-cross-venue[data-contract$="-${s}-C"]`)) return false;
              resolve(performance.timeOrigin + performance.now());
              return true;
            };
            if (check()) return;
            const obs = new MutationObserver(() => {
              if (check()) obs.disconnect();
            });
            obs.observe(document.body, { subtree: true, childList: true, attributes: true });
          }),
        strike,
      );
      // Spread over the simulator's 250 ms step, so the samples are not locked to its phase.
      await page.waitForTimeout(50 + ((i * 97) % 250));
      const at = Date.now();
      await app.deriveFault({ fault: 'misquote', instrument: name, volPoints: 25 });
      times.push((await seen) - at);
      await app.deriveFault({ fault: 'clear' });
      await page.waitForFunction((s) => !document.querySelector(`[data-testid="mispricing"].kind-cross-venue[data-contract$="-${s}-C"]`), strike, { timeout: 10_000 });
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    return {
      bench: `Derive misquote → cross-venue edge on screen, Chromium (${SAMPLES} samples)`,
      result: `p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
      against: 'Derive simulator step 250 ms + scan interval 100 ms + one frame',
      ratio: `p95 = ${(p95 / (350 + 1000 / 60)).toFixed(2)}×`,
    };
  } finally {
    await browser.close();
    await app.stop();
  }
}

export async function benchCrossVenue(): Promise<Row[]> {
  return [scanCost(), await edgeOnScreen()];
}
