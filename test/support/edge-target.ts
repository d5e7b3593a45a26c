import type { OptionsBoard } from '../../electron/engine/options/options-board.ts';
import type { OptionContract } from '../../shared/domain/options.ts';

/** Two days: far enough that 25 vol points are worth well over both venues' fees. */
export const EDGE_MIN_DAYS = 2;

/**
 * The contract a cross-venue test misquotes: the at-the-money BTC call, quoted on both venues, of
 * the soonest expiry at least two days out. Not the soonest expiry: a weekly in its last hours
 * (Thursday night to Friday 08:00 UTC) has so little vega that a 25-point misquote is worth less
 * than the fees, and no edge is listed — the tests failed on those mornings only. Undefined until
 * such a call is quoted on both venues.
 */
export function edgeTarget(board: OptionsBoard, now = Date.now()): OptionContract | undefined {
  // Chosen among every call Derive lists there, quoted or not: taken among the quoted ones only, it
  // would be whichever strike was quoted first (once a deep in-the-money call with a $25 edge).
  const far = board.contracts.filter((c) => c.peer && c.kind === 'call' && c.underlying === 'BTC' && c.expiry - now >= EDGE_MIN_DAYS * 86_400_000);
  const spot = far.map((c) => board.get(c.row, 'index')).find((x) => x > 0);
  if (spot === undefined) return undefined;
  const soonest = Math.min(...far.map((c) => c.expiry));
  const atm = far.filter((c) => c.expiry === soonest).sort((a, b) => Math.abs(a.strike - spot) - Math.abs(b.strike - spot))[0]!;
  return board.get(atm.row, 'ask') > 0 && board.get(atm.row, 'peerBid') > 0 ? atm : undefined;
}
