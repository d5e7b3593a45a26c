import { F, ROW_STRIDE } from '../../../../shared/domain/options.ts';
import { latencySeries } from '../orderbook/latency-probe.ts';

/** Ticker-to-chain-row latency (bench/): arrival at the page, and the row's DOM update. */
const arrival = latencySeries('__deltadeskChainArrival');
export const recordChainRowPainted = latencySeries('__deltadeskChainLatency');

export function recordOptionArrival(rows: Float64Array, arrivedAt: number): void {
  for (let o = 0; o + ROW_STRIDE <= rows.length; o += ROW_STRIDE) arrival(rows[o + F.receivedAt]!, arrivedAt);
}
