import { faultNumber, parseMisquote } from '../http-util.ts';

/**
 * Fault injection for the Derive-wire simulator (venues.md §3.11). Tests switch these on through
 * the token-guarded control endpoint; paper mode never does by itself.
 */
export interface DeriveFaultState {
  /** Until then the server sends nothing and ignores what it receives. */
  stallUntil: number;
  /** Until then order books are not republished (tickers still flow): a stale book. */
  staleBookUntil: number;
  /** The next N requests are answered "Rate limit exceeded". */
  rateLimitRemaining: number;
  /** The next N notifications are replaced with malformed ones. */
  malformedRemaining: number;
  /** The next N orders are refused by the matching engine. */
  rejectRemaining: number;
}

export function emptyDeriveFaults(): DeriveFaultState {
  return { stallUntil: 0, staleBookUntil: 0, rateLimitRemaining: 0, malformedRemaining: 0, rejectRemaining: 0 };
}

export type DeriveFaultCommand =
  | { fault: 'drop' }
  | { fault: 'clear' }
  | { fault: 'stall' | 'staleBook'; ms: number }
  | { fault: 'rateLimit' | 'malformed' | 'reject'; count: number }
  /** Moves one option's bid and ask (not its mark) by this many vol points. */
  | { fault: 'misquote'; instrument: string; volPoints: number };

export function parseDeriveFault(value: unknown): DeriveFaultCommand | string {
  if (typeof value !== 'object' || value === null) return 'expected an object';
  const v = value as Record<string, unknown>;
  const num = (key: string, min: number, max: number): number | string => faultNumber(v, key, min, max);
  switch (v.fault) {
    case 'drop':
    case 'clear':
      return { fault: v.fault };
    case 'stall':
    case 'staleBook': {
      const ms = num('ms', 0, 600_000);
      return typeof ms === 'string' ? ms : { fault: v.fault, ms };
    }
    case 'rateLimit':
    case 'malformed':
    case 'reject': {
      const count = num('count', 0, 10_000);
      return typeof count === 'string' ? count : { fault: v.fault, count };
    }
    case 'misquote':
      return parseMisquote(v);
    default:
      return 'fault: expected one of drop, clear, stall, staleBook, rateLimit, malformed, reject, misquote';
  }
}

/** Malformed notifications of several kinds, so every parse path of the adapter is exercised. */
export function malformedNotification(i: number, instrument: string): string {
  const wrap = (channel: string, data: unknown): string => JSON.stringify({ method: 'subscription', params: { channel, data } });
  switch (i % 3) {
    case 0:
      return `{"method":"subscription","params":{"channel":"orderbook.${instrument}`; // truncated
    case 1:
      return wrap(`ticker_slim.${instrument}.1000`, { instrument_ticker: { t: 'soon', M: '-1' }, timestamp: 1 });
    default:
      return wrap(`orderbook.${instrument}.1.10`, { instrument_name: instrument, publish_id: 'x', timestamp: 1, bids: [['1', 'many']], asks: [] });
  }
}
