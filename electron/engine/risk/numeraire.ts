import type { Numeraire } from '../../../shared/domain/portfolio.ts';

/*
 * From a holding's USD value V(S) and its spot derivatives to what the chosen numeraire counts.
 * In USD: PnL is V, delta ∂V/∂S, gamma ∂²V/∂S². In coin: PnL is V/S, and delta is S·∂(V/S)/∂S =
 * ∂V/∂S − V/S (coins; for an inverse option this is the premium-adjusted delta, and coins held
 * as collateral have none); gamma is its derivative, ∂²V/∂S² − (∂V/∂S)/S + V/S². Written as
 * plain functions of numbers so the ladder's hot loop allocates nothing.
 */

export function basisValue(n: Numeraire, S: number, v: number): number {
  return n === 'usd' ? v : v / S;
}

export function basisDelta(n: Numeraire, S: number, v: number, dv: number): number {
  return n === 'usd' ? dv : dv - v / S;
}

export function basisGamma(n: Numeraire, S: number, v: number, dv: number, d2v: number): number {
  return n === 'usd' ? d2v : d2v - dv / S + v / (S * S);
}
