import { sviTotalVariance, type SviParams } from '../../../shared/domain/svi.ts';

/**
 * Raw SVI (shared/domain/svi.ts) fitted with Zeliade's quasi-explicit method: for fixed (m, σ) the
 * fit in (a, d = ρbσ, c = bσ) is a linear least-squares problem on a convex domain, solved exactly;
 * Nelder-Mead searches (m, σ).
 */
export { sviTotalVariance, type SviParams };

export interface SmileQuote {
  /** Log-moneyness ln(K/F). */
  k: number;
  /** Implied vol, annual fraction. */
  iv: number;
  /** Relative weight (e.g. vega or 1/spread); > 0. */
  weight: number;
}

/** w, w′ and w″ at k. */
export function sviDerivatives(p: SviParams, k: number): { w: number; w1: number; w2: number } {
  const x = k - p.m;
  const r = Math.sqrt(x * x + p.sigma * p.sigma);
  return { w: p.a + p.b * (p.rho * x + r), w1: p.b * (p.rho + x / r), w2: (p.b * p.sigma * p.sigma) / (r * r * r) };
}

/** Gatheral-Jacquier density condition g(k) ≥ 0 (no butterfly arbitrage where it holds). */
export function sviButterflyG(p: SviParams, k: number): number {
  const { w, w1, w2 } = sviDerivatives(p, k);
  const t = 1 - (k * w1) / (2 * w);
  return t * t - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

// ---- inner problem: constrained linear least squares in (a, d, c) -----------------------------

interface Moments {
  M: Float64Array; // 3×3 normal matrix, row-major
  v: Float64Array; // right-hand side
  ww: number; // Σ weight·w²
}

/**
 * Constraints G·p ≤ h for p = (a, d, c): |d| ≤ c (b ≥ 0, |ρ| ≤ 1); c ± d ≤ 2σ (wing slopes ≤ 2, Lee's
 * moment bound in total variance); a ≤ max w; and the smile's minimum total variance
 * a + bσ√(1−ρ²) = a + √(c² − d²) ≥ 0. That last one is what raw SVI needs — `a` itself may be
 * negative, and steep short-dated smiles need it — but it is not linear; since
 * √(c² − d²) ≥ c − |d| when |d| ≤ c, the two linear rows a + c ∓ d ≥ 0 imply it.
 */
function constraints(sigma: number, wMax: number): [number[], number][] {
  return [
    [[0, 1, -1], 0],
    [[0, -1, -1], 0],
    [[0, 1, 1], 2 * sigma],
    [[0, -1, 1], 2 * sigma],
    [[-1, 1, -1], 0],
    [[-1, -1, -1], 0],
    [[1, 0, 0], wMax],
  ];
}
const CONSTRAINT_COUNT = 7;

const ACTIVE_SETS: number[][] = (() => {
  const sets: number[][] = [[]];
  for (let i = 0; i < CONSTRAINT_COUNT; i++) {
    sets.push([i]);
    for (let j = i + 1; j < CONSTRAINT_COUNT; j++) {
      sets.push([i, j]);
      for (let l = j + 1; l < CONSTRAINT_COUNT; l++) sets.push([i, j, l]);
    }
  }
  return sets;
})();

/** Solves the small dense system A·x = y in place (Gaussian elimination with partial pivoting). */
function solve(A: number[][], y: number[]): number[] | null {
  const n = y.length;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[piv]![col]!)) piv = r;
    if (Math.abs(A[piv]![col]!) < 1e-14) return null;
    [A[col], A[piv]] = [A[piv]!, A[col]!];
    [y[col], y[piv]] = [y[piv]!, y[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = A[r]![col]! / A[col]![col]!;
      for (let c = col; c < n; c++) A[r]![c]! -= f * A[col]![c]!;
      y[r]! -= f * y[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = y[r]!;
    for (let c = r + 1; c < n; c++) s -= A[r]![c]! * x[c]!;
    x[r] = s / A[r]![r]!;
  }
  return x;
}

function objective(mo: Moments, p: number[]): number {
  let quad = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) quad += p[i]! * mo.M[i * 3 + j]! * p[j]!;
  return quad - 2 * (p[0]! * mo.v[0]! + p[1]! * mo.v[1]! + p[2]! * mo.v[2]!) + mo.ww;
}

/** Exact minimiser of the convex QP by enumerating active sets (at most 64 tiny KKT systems). */
function innerFit(mo: Moments, sigma: number, wMax: number): { p: number[]; err: number } {
  const G = constraints(sigma, wMax);
  const feasible = (p: number[]): boolean => G.every(([g, h]) => g[0]! * p[0]! + g[1]! * p[1]! + g[2]! * p[2]! <= h + 1e-12 * (1 + Math.abs(h)));
  let best: { p: number[]; err: number } | null = null;
  for (const set of ACTIVE_SETS) {
    const n = 3 + set.length;
    const A: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) A[i]![j] = mo.M[i * 3 + j]!;
      y[i] = mo.v[i]!;
    }
    set.forEach((ci, r) => {
      const [g, h] = G[ci]!;
      for (let j = 0; j < 3; j++) {
        A[3 + r]![j] = g[j]!;
        A[j]![3 + r] = g[j]!;
      }
      y[3 + r] = h;
    });
    const x = solve(A, y);
    if (!x) continue;
    const p = x.slice(0, 3);
    if (!feasible(p)) continue;
    const err = objective(mo, p);
    if (!best || err < best.err) best = { p, err };
    if (set.length === 0) return best; // the unconstrained optimum is feasible: it is the answer
  }
  return best ?? { p: [0, 0, 0], err: mo.ww };
}

function moments(quotes: { k: number; w: number; weight: number }[], m: number, sigma: number): Moments {
  const M = new Float64Array(9);
  const v = new Float64Array(3);
  let ww = 0;
  for (const q of quotes) {
    const y = (q.k - m) / sigma;
    const z = Math.sqrt(y * y + 1);
    const f = [1, y, z];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) M[i * 3 + j]! += q.weight * f[i]! * f[j]!;
      v[i]! += q.weight * f[i]! * q.w;
    }
    ww += q.weight * q.w * q.w;
  }
  return { M, v, ww };
}

// ---- outer problem: Nelder-Mead over (m, ln σ) -------------------------------------------------

function nelderMead(f: (x: [number, number]) => number, start: [number, number], step: [number, number], iterations: number): { x: [number, number]; fx: number } {
  let pts: { x: [number, number]; fx: number }[] = [start, [start[0] + step[0], start[1]], [start[0], start[1] + step[1]]].map((x) => ({ x: x as [number, number], fx: f(x as [number, number]) }));
  for (let it = 0; it < iterations; it++) {
    pts.sort((p, q) => p.fx - q.fx);
    const [best, mid, worst] = pts as [(typeof pts)[0], (typeof pts)[0], (typeof pts)[0]];
    if (Math.abs(worst.fx - best.fx) <= 1e-14 * (1 + Math.abs(best.fx)) && it > 10) break;
    const c: [number, number] = [(best.x[0] + mid.x[0]) / 2, (best.x[1] + mid.x[1]) / 2];
    const at = (t: number): [number, number] => [c[0] + t * (worst.x[0] - c[0]), c[1] + t * (worst.x[1] - c[1])];
    const r = { x: at(-1), fx: 0 };
    r.fx = f(r.x);
    if (r.fx < best.fx) {
      const e = { x: at(-2), fx: 0 };
      e.fx = f(e.x);
      pts = [best, mid, e.fx < r.fx ? e : r];
    } else if (r.fx < mid.fx) {
      pts = [best, mid, r];
    } else {
      const k = { x: at(r.fx < worst.fx ? -0.5 : 0.5), fx: 0 };
      k.fx = f(k.x);
      if (k.fx < Math.min(worst.fx, r.fx)) pts = [best, mid, k];
      else
        pts = [best, ...[mid, worst].map((p) => {
          const x: [number, number] = [best.x[0] + 0.5 * (p.x[0] - best.x[0]), best.x[1] + 0.5 * (p.x[1] - best.x[1])];
          return { x, fx: f(x) };
        })];
    }
  }
  pts.sort((p, q) => p.fx - q.fx);
  return pts[0]!;
}

export interface SviFit {
  params: SviParams;
  /** Root-mean-square error in implied vol over the quotes (weighted), annual fraction. */
  rmsIvError: number;
}

/** Fits one expiry's smile. `time` in years. Throws on fewer than 5 usable quotes. */
export function fitSvi(quotes: SmileQuote[], time: number): SviFit {
  const usable = quotes.filter((q) => Number.isFinite(q.k) && q.iv > 0 && Number.isFinite(q.iv) && q.weight > 0);
  if (usable.length < 5) throw new Error(`SVI fit needs at least 5 quotes with positive IV and weight, got ${usable.length}`);
  if (!(time > 0)) throw new Error(`SVI fit needs time > 0, got ${time}`);
  const data = usable.map((q) => ({ k: q.k, w: q.iv * q.iv * time, weight: q.weight }));
  const wMax = Math.max(...data.map((d) => d.w));
  const kMin = Math.min(...data.map((d) => d.k));
  const kMax = Math.max(...data.map((d) => d.k));
  const span = Math.max(kMax - kMin, 1e-3);
  const evaluate = ([m, lnSigma]: [number, number]): number => {
    const sigma = Math.exp(lnSigma);
    if (!(sigma > 1e-4 && sigma < 10) || m < kMin - span || m > kMax + span) return Infinity;
    return innerFit(moments(data, m, sigma), sigma, wMax).err;
  };
  const kAtMin = data.reduce((b, d) => (d.w < b.w ? d : b)).k;
  let best: { x: [number, number]; fx: number } | null = null;
  for (const [m0, s0] of [
    [kAtMin, 0.1 * span],
    [kAtMin, 0.5 * span],
    [0, 0.25 * span],
  ] as const) {
    const r = nelderMead(evaluate, [m0, Math.log(s0)], [0.1 * span, 0.5], 400);
    if (!best || r.fx < best.fx) best = r;
  }
  const m = best!.x[0];
  const sigma = Math.exp(best!.x[1]);
  const { p } = innerFit(moments(data, m, sigma), sigma, wMax);
  const [a, d, c] = p as [number, number, number];
  const params: SviParams = { a, b: c / sigma, rho: c > 0 ? Math.max(-1, Math.min(1, d / c)) : 0, m, sigma };
  let se = 0;
  let sw = 0;
  for (const q of usable) {
    const iv = Math.sqrt(Math.max(sviTotalVariance(params, q.k), 0) / time);
    se += q.weight * (iv - q.iv) ** 2;
    sw += q.weight;
  }
  return { params, rmsIvError: Math.sqrt(se / sw) };
}

export interface ButterflyViolation {
  k: number;
  g: number;
}

/**
 * Scans g(k) on [kFrom, kTo]; for each stretch where g < 0 (or w ≤ 0) reports its minimum, refined
 * between the grid points around the worst one (golden-section search), not the grid point itself.
 */
export function butterflyViolations(p: SviParams, kFrom = -3, kTo = 3, steps = 1200): ButterflyViolation[] {
  const out: ButterflyViolation[] = [];
  const h = (kTo - kFrom) / steps;
  const gAt = (k: number): number => (sviTotalVariance(p, k) > 0 ? sviButterflyG(p, k) : -Infinity);
  let current: ButterflyViolation | null = null;
  const close = (v: ButterflyViolation): ButterflyViolation => (Number.isFinite(v.g) ? refineMinimum(gAt, Math.max(kFrom, v.k - h), Math.min(kTo, v.k + h), v) : v);
  for (let i = 0; i <= steps; i++) {
    const k = kFrom + h * i;
    const g = gAt(k);
    if (g < 0) {
      if (!current || g < current.g) current = { k, g };
    } else if (current) {
      out.push(close(current));
      current = null;
    }
  }
  if (current) out.push(close(current));
  return out;
}

/** Golden-section search for the minimum of f on [lo, hi]; never worse than `start`. */
function refineMinimum(f: (k: number) => number, lo: number, hi: number, start: ButterflyViolation): ButterflyViolation {
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 80 && b - a > 1e-12 * (1 + Math.abs(a)); i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = f(d);
    }
  }
  const k = fc < fd ? c : d;
  const g = Math.min(fc, fd);
  return g < start.g ? { k, g } : start;
}
