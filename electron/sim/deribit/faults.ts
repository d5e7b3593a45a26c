import { faultNumber, parseMisquote } from '../http-util.ts';

/**
 * Fault injection for the Deribit-wire simulator (venues.md §2.10). Tests and the end-to-end suite
 * switch these on through the token-guarded control endpoint; paper mode never does by itself.
 */
export interface DeribitFaultState {
  /** Until then the server sends nothing (no data, no heartbeats) and ignores what it receives. */
  stallUntil: number;
  /** The next N book changes are lost on the way: the following change breaks the change_id chain. */
  gapRemaining: number;
  /** The next N requests are answered with 10028 too_many_requests, and the session is closed. */
  tooManyRequestsRemaining: number;
  /** The next N notifications are replaced with malformed ones. */
  malformedRemaining: number;
  /** The next N new orders (buy or sell) are refused as the venue refuses an unfunded one. */
  rejectRemaining: number;
}

export function emptyDeribitFaults(): DeribitFaultState {
  return { stallUntil: 0, gapRemaining: 0, tooManyRequestsRemaining: 0, malformedRemaining: 0, rejectRemaining: 0 };
}

export type DeribitFaultCommand =
  | { fault: 'drop' }
  | { fault: 'clear' }
  | { fault: 'stall'; ms: number }
  | { fault: 'gap'; count: number }
  | { fault: 'tooManyRequests'; count: number }
  | { fault: 'malformed'; count: number }
  | { fault: 'reject'; count: number }
  /** Moves one option's bid and ask (not its mark) by this many vol points off the surface. */
  | { fault: 'misquote'; instrument: string; volPoints: number };

export function parseDeribitFault(value: unknown): DeribitFaultCommand | string {
  if (typeof value !== 'object' || value === null) return 'expected an object';
  const v = value as Record<string, unknown>;
  const num = (key: string, min: number, max: number): number | string => faultNumber(v, key, min, max);
  switch (v.fault) {
    case 'drop':
    case 'clear':
      return { fault: v.fault };
    case 'stall': {
      const ms = num('ms', 0, 600_000);
      return typeof ms === 'string' ? ms : { fault: 'stall', ms };
    }
    case 'gap':
    case 'tooManyRequests':
    case 'malformed':
    case 'reject': {
      const count = num('count', 0, 10_000);
      return typeof count === 'string' ? count : { fault: v.fault, count };
    }
    case 'misquote':
      return parseMisquote(v);
    default:
      return 'fault: expected one of drop, clear, stall, gap, tooManyRequests, malformed, reject, misquote';
  }
}

/** Malformed notifications of several kinds, so every parse path of the adapter is exercised. */
export function malformedNotification(i: number, instrument: string): string {
  const wrap = (channel: string, data: unknown): string => JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
  switch (i % 4) {
    case 0:
      return '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"ticker.' + instrument; // truncated
    case 1:
      return wrap(`ticker.${instrument}.100ms`, { instrument_name: instrument, timestamp: 'soon', mark_price: -1 });
    case 2:
      return wrap(`book.${instrument}.100ms`, { type: 'change', instrument_name: instrument, timestamp: 1, prev_change_id: 1, change_id: 2, bids: [['replace', 'x', 1]], asks: [] });
    default:
      return JSON.stringify({ jsonrpc: '1.0', method: 42 });
  }
}
