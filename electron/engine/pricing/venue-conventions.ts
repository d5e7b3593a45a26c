import { normCdf } from './normal.ts';
import type { OptionKind } from './black.ts';

/*
 * Greeks as a venue defines them, for wherever a venue's figure sits beside ours: both must be
 * in the venue's convention, and the convention is named.
 *
 * Rho is the case that differs. Ours (Black-76, `Greeks.rho`) holds the forward fixed, so a rate
 * moves only the discount: ∂V/∂r = −T·V. Deribit's rho is the stock-style one ("standard Black
 * Scholes"): the underlying held fixed, so a rate also moves the forward: call K·T·N(d2), put
 * −K·T·N(−d2), in USD per 1 %. The two even have opposite signs for a call.
 */
export const RHO_CONVENTION = {
  ours: 'forward held fixed (Black-76): −T·V per 1.00 of rate',
  deribit: 'underlying held fixed (stock-style Black–Scholes): ±K·T·N(±d2), USD per 1 %',
} as const;

/** Deribit's rho in USD per 1 % of rate, from the forward and vol the venue priced with (r = 0). */
export function deribitRho(kind: OptionKind, forward: number, strike: number, time: number, vol: number): number {
  if (!(time > 0) || !(vol > 0)) return 0;
  const v = vol * Math.sqrt(time);
  const d2 = Math.log(forward / strike) / v - 0.5 * v;
  const theta = kind === 'call' ? 1 : -1;
  return (theta * strike * time * normCdf(theta * d2)) / 100;
}
