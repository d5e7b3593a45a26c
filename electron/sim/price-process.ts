import { MS_PER_YEAR } from '../../shared/domain/time.ts';
import type { Random } from './random.ts';

const GARCH_PERIOD_MS = 60_000;

export interface PriceProcessParams {
  /** Long-run annualised volatility, e.g. 0.55 for 55 %. */
  annualVol: number;
  /** GARCH(1,1) persistence: alpha (reaction to the last shock) and beta (memory). alpha + beta < 1. */
  alpha: number;
  beta: number;
  /** Expected jumps per day and jump size (log-return standard deviation). */
  jumpsPerDay: number;
  jumpVol: number;
}

export const DEFAULT_PROCESS: PriceProcessParams = {
  annualVol: 0.55,
  alpha: 0.06,
  beta: 0.92,
  jumpsPerDay: 6,
  jumpVol: 0.004,
};

/**
 * Log-price random walk with GARCH(1,1) variance, so calm and busy stretches cluster the way real
 * crypto markets do, plus Poisson jumps. The GARCH update runs on one-minute returns (the usual
 * granularity for such fits) whatever the step size, so the clustering lasts minutes to hours.
 */
export class PriceProcess {
  private variancePerMs: number;
  private readonly longRunPerMs: number;
  private accumulatedSq = 0;
  private accumulatedMs = 0;

  private price: number;
  private readonly params: PriceProcessParams;
  private readonly rng: Random;

  constructor(price: number, params: PriceProcessParams, rng: Random) {
    this.price = price;
    this.params = params;
    this.rng = rng;
    this.longRunPerMs = params.annualVol ** 2 / MS_PER_YEAR;
    this.variancePerMs = this.longRunPerMs;
  }

  get current(): number {
    return this.price;
  }

  /** Current instantaneous volatility, annualised. */
  get annualisedVol(): number {
    return Math.sqrt(this.variancePerMs * MS_PER_YEAR);
  }

  step(dtMs: number): number {
    const { alpha, beta, jumpsPerDay, jumpVol } = this.params;
    const sigma = Math.sqrt(this.variancePerMs * dtMs);
    const shock = sigma * this.rng.normal();
    let jump = 0;
    const jumps = this.rng.poisson((jumpsPerDay * dtMs) / 86_400_000);
    for (let i = 0; i < jumps; i++) jump += jumpVol * this.rng.normal();
    const r = shock + jump - 0.5 * sigma * sigma;
    this.price *= Math.exp(r);
    this.accumulatedSq += (shock + jump) ** 2;
    this.accumulatedMs += dtMs;
    if (this.accumulatedMs >= GARCH_PERIOD_MS) {
      const realisedPerMs = this.accumulatedSq / this.accumulatedMs;
      const omega = (1 - alpha - beta) * this.longRunPerMs;
      this.variancePerMs = omega + alpha * realisedPerMs + beta * this.variancePerMs;
      this.accumulatedSq = 0;
      this.accumulatedMs = 0;
    }
    return this.price;
  }
}
