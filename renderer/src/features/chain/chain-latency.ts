import { F, ROW_STRIDE } from '../../../../shared/domain/options.ts';
import { latencyProbeEnabled, latencySeries } from '../orderbook/latency-probe.ts';

/** Ticker-to-chain-row latency (bench/): arrival at the page, and the row's DOM update. */
const arrival = latencySeries('__deltadeskChainArrival');
export const recordChainRowPainted = latencySeries('__deltadeskChainLatency');

const lastSeen = new Map<number, number>();

/** Counts each ticker once: rows are also re-sent when only their fitted IV changed. */
export function recordOptionArrival(rows: Float64Array, arrivedAt: number): void {
  if (!latencyProbeEnabled) return;
  for (let o = 0; o + ROW_STRIDE <= rows.length; o += ROW_STRIDE) {
    const receivedAt = rows[o + F.receivedAt]!;
    if (lastSeen.get(rows[o]!) === receivedAt) continue;
    lastSeen.set(rows[o]!, receivedAt);
    arrival(receivedAt, arrivedAt);
  }
}
