import { butterflyViolations, sviTotalVariance, type ButterflyViolation, type SviParams } from './svi.ts';

export interface SurfaceSlice {
  /** Expiry, ms since epoch (UTC), and time to it in years. */
  expiry: number;
  time: number;
  params: SviParams;
}

export interface CalendarViolation {
  k: number;
  earlierTime: number;
  laterTime: number;
  earlierW: number;
  laterW: number;
}

/**
 * A volatility surface from SVI slices: total variance interpolated linearly in time at fixed
 * log-moneyness (calendar-arbitrage-free whenever the slices are), and extrapolated proportionally
 * in time before the first and after the last slice (w ∝ T: flat implied vol, still increasing in T).
 */
export class VolSurface {
  readonly slices: SurfaceSlice[];

  constructor(slices: SurfaceSlice[]) {
    if (slices.length === 0) throw new Error('a surface needs at least one slice');
    this.slices = [...slices].sort((a, b) => a.time - b.time);
  }

  totalVariance(k: number, time: number): number {
    const s = this.slices;
    const first = s[0]!;
    const last = s[s.length - 1]!;
    if (time <= first.time) return (sviTotalVariance(first.params, k) * time) / first.time;
    if (time >= last.time) return (sviTotalVariance(last.params, k) * time) / last.time;
    let i = 0;
    while (s[i + 1]!.time < time) i++;
    const lo = s[i]!;
    const hi = s[i + 1]!;
    const f = (time - lo.time) / (hi.time - lo.time);
    return (1 - f) * sviTotalVariance(lo.params, k) + f * sviTotalVariance(hi.params, k);
  }

  impliedVol(k: number, time: number): number {
    return time > 0 ? Math.sqrt(Math.max(this.totalVariance(k, time), 0) / time) : 0;
  }

  /** Butterfly violations per slice. */
  butterflyViolations(kFrom = -3, kTo = 3): { time: number; violations: ButterflyViolation[] }[] {
    return this.slices.map((s) => ({ time: s.time, violations: butterflyViolations(s.params, kFrom, kTo) })).filter((x) => x.violations.length > 0);
  }

  /** Points where a later slice has less total variance than an earlier one (k grid plus far wings). */
  calendarViolations(kFrom = -3, kTo = 3, steps = 600): CalendarViolation[] {
    const out: CalendarViolation[] = [];
    for (let i = 0; i + 1 < this.slices.length; i++) {
      const a = this.slices[i]!;
      const b = this.slices[i + 1]!;
      let worst: CalendarViolation | null = null;
      for (let j = 0; j <= steps + 2; j++) {
        const k = j === steps + 1 ? -50 : j === steps + 2 ? 50 : kFrom + ((kTo - kFrom) * j) / steps;
        const wa = sviTotalVariance(a.params, k);
        const wb = sviTotalVariance(b.params, k);
        if (wb < wa && (!worst || wb - wa < worst.laterW - worst.earlierW)) worst = { k, earlierTime: a.time, laterTime: b.time, earlierW: wa, laterW: wb };
      }
      if (worst) out.push(worst);
    }
    return out;
  }
}
