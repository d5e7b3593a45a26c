import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { priceOption, type OptionKind } from '../electron/engine/pricing/black.ts';
import { allocateChain, priceChain } from '../electron/engine/pricing/chain.ts';
import { impliedVol } from '../electron/engine/pricing/implied-vol.ts';
import { fitSvi, sviTotalVariance } from '../electron/engine/pricing/svi.ts';
import { opsPerSecond, percentile, type Row } from './measure.ts';

/*
 * Pricing core against the npm packages traders reach for: `black-scholes` + `greeks`,
 * `implied-volatility`, and `@uqee/black-scholes`. Same inputs for all; accuracy against 50-digit
 * mpmath values over a grid that includes the far wings (test/fixtures/pricing-reference.json).
 */
const require = createRequire(import.meta.url);
const bsPkg = require('black-scholes') as { blackScholes(s: number, k: number, t: number, v: number, r: number, cp: string): number };
const greeksPkg = require('greeks') as Record<'getDelta' | 'getTheta' | 'getRho', (s: number, k: number, t: number, v: number, r: number, cp: string) => number> &
  Record<'getGamma' | 'getVega', (s: number, k: number, t: number, v: number, r: number) => number>;
const ivPkg = require('implied-volatility') as { getImpliedVolatility(p: number, s: number, k: number, t: number, r: number, cp: string): number };
const { BlackScholes } = require('@uqee/black-scholes') as {
  BlackScholes: new () => {
    option(o: { rate: number; sigma: number; strike: number; time: number; type: string; underlying: number }): { price: number };
    sigma(o: { price: number; rate: number; strike: number; time: number; type: string; underlying: number }): number;
  };
};
const uqee = new BlackScholes();

interface Case {
  kind: OptionKind;
  S: number;
  K: number;
  T: number;
  vol: number;
}

function cases(n: number): Case[] {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, () => ({
    kind: rnd() < 0.5 ? 'call' : 'put',
    S: 60_000,
    K: 60_000 * Math.exp((rnd() - 0.5) * 0.8),
    T: (1 + rnd() * 180) / 365,
    vol: 0.3 + rnd() * 0.8,
  }));
}

export function benchPricing(): Row[] {
  const list = cases(2000);
  const { inputs, outputs } = allocateChain(list.length);
  list.forEach((c, i) => {
    inputs.kind[i] = c.kind === 'call' ? 1 : -1;
    inputs.spot[i] = c.S;
    inputs.strike[i] = c.K;
    inputs.time[i] = c.T;
    inputs.vol[i] = c.vol;
  });
  const chainsPerSecond = opsPerSecond(() => priceChain(list.length, inputs, outputs), 50);
  const ours = chainsPerSecond * list.length;
  const peerGreeks = opsPerSecond((i) => {
    const c = list[i % list.length]!;
    bsPkg.blackScholes(c.S, c.K, c.T, c.vol, 0, c.kind);
    greeksPkg.getDelta(c.S, c.K, c.T, c.vol, 0, c.kind);
    greeksPkg.getGamma(c.S, c.K, c.T, c.vol, 0);
    greeksPkg.getVega(c.S, c.K, c.T, c.vol, 0);
    greeksPkg.getTheta(c.S, c.K, c.T, c.vol, 0, c.kind);
    greeksPkg.getRho(c.S, c.K, c.T, c.vol, 0, c.kind);
  }, 20_000);
  const uqeeGreeks = opsPerSecond((i) => {
    const c = list[i % list.length]!;
    uqee.option({ rate: 0, sigma: c.vol, strike: c.K, time: c.T, type: c.kind, underlying: c.S });
  }, 50_000);

  // Implied vol: same quotes for everyone (prices from our pricer).
  const quotes = list.map((c) => {
    const p = priceOption({ kind: c.kind, spot: c.S, strike: c.K, time: c.T, rate: 0, carry: 0, vol: c.vol });
    return { ...c, price: p.ok ? p.value.price : 0 };
  });
  const batch = 200;
  const batchTimes: number[] = [];
  // 2,000 batches: with 200 the median moved by ±20 % from run to run (JIT warm-up and the wings).
  for (let round = 0; round < 2000; round++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      const q = quotes[(round * batch + i) % quotes.length]!;
      impliedVol({ kind: q.kind, price: q.price, forward: q.S, strike: q.K, time: q.T });
    }
    batchTimes.push(((performance.now() - t0) * 1000) / batch);
  }
  batchTimes.sort((a, b) => a - b);
  const ivMedianUs = percentile(batchTimes, 50);
  const ivOurs = 1e6 / ivMedianUs;
  const ivPeer = opsPerSecond((i) => {
    const q = quotes[i % quotes.length]!;
    ivPkg.getImpliedVolatility(q.price, q.S, q.K, q.T, 0, q.kind);
  }, 2000);
  const ivUqee = opsPerSecond((i) => {
    const q = quotes[i % quotes.length]!;
    uqee.sigma({ price: q.price, rate: 0, strike: q.K, time: q.T, type: q.kind, underlying: q.S });
  }, 5000);

  // Accuracy over the 50-digit grid (wings down to 1e-300).
  const ref = JSON.parse(readFileSync(new URL('../test/fixtures/pricing-reference.json', import.meta.url), 'utf8')) as {
    black76: { kind: OptionKind; F: number; K: number; T: number; sigma: number; price: string }[];
  };
  const worst = { ours: 0, bs: 0, uqee: 0 };
  for (const row of ref.black76) {
    const exact = Number(row.price);
    const err = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.abs(v / exact - 1)) : 1);
    const o = priceOption({ kind: row.kind, spot: row.F, strike: row.K, time: row.T, rate: 0, carry: 0, vol: row.sigma });
    worst.ours = Math.max(worst.ours, err(o.ok ? o.value.price : Number.NaN));
    worst.bs = Math.max(worst.bs, err(bsPkg.blackScholes(row.F, row.K, row.T, row.sigma, 0, row.kind)));
    worst.uqee = Math.max(worst.uqee, err(uqee.option({ rate: 0, sigma: row.sigma, strike: row.K, time: row.T, type: row.kind, underlying: row.F }).price));
  }
  const peerWorst = Math.min(worst.bs, worst.uqee);

  // SVI: 10 expiries × 50 strikes with 1 % noise, fitted one after another.
  const smiles = Array.from({ length: 10 }, (_, e) => {
    const T = (7 + e * 30) / 365;
    const p = { a: 0.01 * T * 50, b: 0.08 + 0.01 * e, rho: -0.25, m: 0.01, sigma: 0.1 + 0.02 * e };
    let seed = 11 + e;
    const noise = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const quotes = Array.from({ length: 50 }, (_, i) => {
      const k = -0.5 + i / 49;
      return { k, iv: Math.sqrt(sviTotalVariance(p, k) / T) * (1 + 0.01 * noise()), weight: 1 };
    });
    return { T, quotes };
  });
  const fitTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (const s of smiles) fitSvi(s.quotes, s.T);
    fitTimes.push(performance.now() - t0);
  }
  fitTimes.sort((a, b) => a - b);
  const fmt = (n: number): string => (n >= 1e5 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(1)} k/s`);
  return [
    {
      bench: 'price + 5 Greeks, one core (chain in typed arrays)',
      result: fmt(ours),
      against: `black-scholes+greeks ${fmt(peerGreeks)}; @uqee/black-scholes ${fmt(uqeeGreeks)}; target 8 M/s`,
      ratio: `${(ours / peerGreeks).toFixed(1)}× / ${(ours / uqeeGreeks).toFixed(1)}× peers; ${(ours / 8e6).toFixed(2)}× target`,
    },
    {
      bench: 'implied vol, one core (median of 200-call batches)',
      result: `${ivMedianUs.toFixed(2)} µs median (${fmt(ivOurs)})`,
      against: `implied-volatility ${fmt(ivPeer)}; @uqee/black-scholes ${fmt(ivUqee)}; target ≤ 1 µs`,
      ratio: `${(ivOurs / ivPeer).toFixed(0)}× / ${(ivOurs / ivUqee).toFixed(0)}× peers`,
    },
    {
      bench: `max relative price error, ${ref.black76.length} options incl. wings (vs 50-digit)`,
      result: worst.ours.toExponential(1),
      against: `black-scholes ${worst.bs.toExponential(1)}; @uqee/black-scholes ${worst.uqee.toExponential(1)}`,
      ratio: `${(peerWorst / Math.max(worst.ours, 1e-17)).toExponential(1)}× more accurate than the best peer`,
    },
    {
      bench: 'SVI fit, 10 expiries × 50 strikes (Zeliade quasi-explicit)',
      result: `${percentile(fitTimes, 50).toFixed(1)} ms for the surface`,
      against: 'surface refresh budget 250 ms (4 Hz)',
      ratio: `${(250 / percentile(fitTimes, 50)).toFixed(1)}× inside budget`,
    },
    {
      bench: '2,000-option chain, price + 5 Greeks',
      result: `${(1e6 / chainsPerSecond).toFixed(0)} µs per chain`,
      against: 'one 60 Hz frame 16,700 µs',
      ratio: `${((1e6 / 60) / (1e6 / chainsPerSecond)).toFixed(0)}× inside a frame`,
    },
  ];
}
