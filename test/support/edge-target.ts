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
  const quoted = board.contracts.filter((c) => c.peer && c.kind === 'call' && c.underlying === 'BTC' && board.get(c.row, 'ask') > 0 && board.get(c.row, 'peerBid') > 0);
  const far = quoted.filter((c) => c.expiry - now >= EDGE_MIN_DAYS * 86_400_000);
  if (far.length === 0) return undefined;
  const spot = board.get(far[0]!.row, 'index');
  const soonest = Math.min(...far.map((c) => c.expiry));
  return far.filter((c) => c.expiry === soonest).sort((a, b) => Math.abs(a.strike - spot) - Math.abs(b.strike - spot))[0]!;
}
