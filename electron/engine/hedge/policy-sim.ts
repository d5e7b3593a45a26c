import { emptyGreeks, firstOrderInto } from '../pricing/black.ts';
import { whalleyWilmottHalfWidth } from './theory.ts';

/*
 * The hedging trade-off on simulated paths (issue "Hedging", item 6): a short ATM straddle
 * (USD-settled, Black–Scholes world with realised vol = implied, r = 0) hedged with a perp at a
 * proportional cost, under four kinds of policy. Each path reports the hedger's PnL at expiry
 * (premium received − payoff + hedge PnL − costs) and what the hedging cost. Same paths for
 * every policy (common random numbers), so differences are the policies', not the dice's.
 */

export type HedgePolicy =
  | { kind: 'none' }
  | { kind: 'interval'; everySteps: number }
  | { kind: 'fixed-band'; halfWidth: number }
  | { kind: 'whalley-wilmott'; riskAversion: number };

export interface PolicySimSpec {
  spot: number;
  vol: number;
  /** Days to expiry. */
  days: number;
  /** Steps per day (the hedger looks this often). */
  stepsPerDay: number;
  /** Options per leg (coins). */
  size: number;
  /** Proportional cost of a hedge trade: fee + half-spread, fraction of notional. */
  costFraction: number;
  paths: number;
  seed: number;
}

export interface PolicyResult {
  policy: HedgePolicy;
  meanPnl: number;
  stdPnl: number;
  meanCost: number;
  meanTrades: number;
}

/** Mulberry32 and Box–Muller: seeded, so the table in the docs is reproducible. */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(u() || 1e-300));
    const th = 2 * Math.PI * u();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

/** Premium, delta and gamma of the short straddle (per the position) at spot S, τ years left. */
function straddle(S: number, K: number, tau: number, vol: number, size: number, g: ReturnType<typeof emptyGreeks>): { value: number; delta: number; gamma: number; vega: number } {
  firstOrderInto(1, S, K, tau, 0, 0, vol, g);
  const c = { p: g.price, d: g.delta, gm: g.gamma, v: g.vega };
  firstOrderInto(-1, S, K, tau, 0, 0, vol, g);
  return { value: -size * (c.p + g.price), delta: -size * (c.d + g.delta), gamma: -size * (c.gm + g.gamma), vega: -size * (c.v + g.vega) };
}

export function simulatePolicies(spec: PolicySimSpec, policies: HedgePolicy[]): PolicyResult[] {
  const steps = Math.round(spec.days * spec.stepsPerDay);
  const T = spec.days / 365;
  const dt = T / steps;
  const K = spec.spot;
  const g = emptyGreeks();
  const premium = -straddle(spec.spot, K, T, spec.vol, spec.size, g).value;
  const sums = policies.map(() => ({ pnl: 0, pnl2: 0, cost: 0, trades: 0 }));
  const rnd = normals(spec.seed);
  const path = new Float64Array(steps + 1);
  for (let p = 0; p < spec.paths; p++) {
    path[0] = spec.spot;
    for (let i = 1; i <= steps; i++) path[i] = path[i - 1]! * Math.exp(-0.5 * spec.vol * spec.vol * dt + spec.vol * Math.sqrt(dt) * rnd());
    const ST = path[steps]!;
    const payoff = spec.size * Math.abs(ST - K);
    for (let k = 0; k < policies.length; k++) {
      const policy = policies[k]!;
      let hedge = 0;
      let hedgePnl = 0;
      let cost = 0;
      let trades = 0;
      for (let i = 0; i < steps; i++) {
        const S = path[i]!;
        if (policy.kind !== 'none') {
          const s = straddle(S, K, T - i * dt, spec.vol, spec.size, g);
          const net = s.delta + hedge;
          let to: number | null = null;
          if (policy.kind === 'interval') {
            if (i % policy.everySteps === 0) to = -s.delta;
          } else if (policy.kind === 'fixed-band') {
            if (Math.abs(net) > policy.halfWidth) to = -s.delta;
          } else {
            const h = whalleyWilmottHalfWidth({ spot: S, gamma: Math.abs(s.gamma), costFraction: spec.costFraction, riskAversion: policy.riskAversion });
            // To the nearest edge of the band, as Whalley–Wilmott prescribe.
            if (Math.abs(net) > h) to = -s.delta + Math.sign(net) * h;
          }
          if (to !== null && Math.abs(to - hedge) > 1e-9) {
            cost += Math.abs(to - hedge) * S * spec.costFraction;
            hedge = to;
            trades++;
          }
        }
        hedgePnl += hedge * (path[i + 1]! - S);
      }
      const pnl = premium - payoff + hedgePnl - cost;
      const sum = sums[k]!;
      sum.pnl += pnl;
      sum.pnl2 += pnl * pnl;
      sum.cost += cost;
      sum.trades += trades;
    }
  }
  return policies.map((policy, k) => {
    const s = sums[k]!;
    const mean = s.pnl / spec.paths;
    return { policy, meanPnl: mean, stdPnl: Math.sqrt(Math.max(0, s.pnl2 / spec.paths - mean * mean)), meanCost: s.cost / spec.paths, meanTrades: s.trades / spec.paths };
  });
}

/** The straddle's vega at inception, USD per 1.00 of vol (for Derman–Kamal). */
export function straddleVega(spec: Pick<PolicySimSpec, 'spot' | 'vol' | 'days' | 'size'>): number {
  return straddle(spec.spot, spec.spot, spec.days / 365, spec.vol, spec.size, emptyGreeks()).vega;
}

export function policyLabel(p: HedgePolicy, stepsPerDay: number): string {
  switch (p.kind) {
    case 'none':
      return 'no hedge';
    case 'interval': {
      const hours = (p.everySteps / stepsPerDay) * 24;
      return `every ${hours >= 1 ? `${hours} h` : `${hours * 60} min`}`;
    }
    case 'fixed-band':
      return `band ±${p.halfWidth} coin`;
    case 'whalley-wilmott':
      return `Whalley–Wilmott γ=${p.riskAversion}/$`;
  }
}
