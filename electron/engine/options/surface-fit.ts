import { sviImpliedVol, type OptionContract, type SmileSlice } from '../../../shared/domain/options.ts';
import { MS_PER_YEAR } from '../risk/positions.ts';
import { fitSvi, type SmileQuote } from '../pricing/svi.ts';
import type { OptionsBoard } from './options-board.ts';

/**
 * Fits one expiry's smile from the mark IVs of every venue quoting it (the chain's own and its
 * peer's: one joint surface that each venue's quotes are judged against) with the pricing core's
 * SVI. Uses the out-of-the-money side at each strike (puts below the forward, calls above), as the
 * in-the-money quotes carry mostly intrinsic value and little information about vol. Weighted by
 * vega, so the fit follows the strikes whose IV is well determined.
 */
export function fitSlice(board: OptionsBoard, contracts: readonly OptionContract[], now: number): SmileSlice | null {
  const forwards: number[] = [];
  for (const c of contracts) {
    const f = board.get(c.row, 'forward');
    if (f > 0) forwards.push(f);
  }
  if (forwards.length === 0) return null;
  forwards.sort((a, b) => a - b);
  const forward = forwards[forwards.length >> 1]!;
  const expiry = contracts[0]!.expiry;
  const time = (expiry - now) / MS_PER_YEAR;
  if (!(time > 0)) return null;
  const quotes: SmileQuote[] = [];
  let maxVega = 0;
  for (const c of contracts) {
    const otm = c.kind === 'call' ? c.strike >= forward : c.strike < forward;
    const vega = board.get(c.row, 'vega');
    if (!otm || !(vega > 0)) continue;
    for (const iv of [board.get(c.row, 'markIv'), board.get(c.row, 'peerMarkIv')]) {
      if (!(iv > 0)) continue;
      quotes.push({ k: Math.log(c.strike / forward), iv, weight: vega });
      maxVega = Math.max(maxVega, vega);
    }
  }
  if (quotes.length < 5) return null;
  // A floor keeps the wings in the fit at all.
  for (const q of quotes) q.weight = q.weight / maxVega + 0.05;
  const fit = fitSvi(quotes, time);
  return { expiry, time, forward, ...fit.params, rmsIvError: fit.rmsIvError, quotes: quotes.length };
}

/** Writes the fitted IV at each contract's strike into its row. */
export function writeFitIvs(board: OptionsBoard, contracts: readonly OptionContract[], slice: SmileSlice): void {
  for (const c of contracts) board.set(c.row, 'fitIv', sviImpliedVol(slice, Math.log(c.strike / slice.forward)));
}
