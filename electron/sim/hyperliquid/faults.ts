/**
 * Fault injection for the Hyperliquid-wire simulator. Tests and the end-to-end suite use these to
 * prove the adapter recovers or reports clearly; paper mode never turns them on by itself.
 */
export interface FaultState {
  /** Until this clock time nothing is sent (no data, no pongs, no acks) and client frames are ignored. */
  stallUntil: number;
  /** The next N data frames are replaced by malformed ones. */
  malformedRemaining: number;
  /** The next N book pushes carry an older snapshot than the one before. */
  outOfOrderRemaining: number;
  /** Subscription types refused with the venue's error frame. */
  refusedTypes: Set<string>;
  /** The next N /exchange requests are carried out, but their answer is lost (the connection drops). */
  lostAnswersRemaining: number;
  /** The next N /exchange answers are held this long after the action was carried out. */
  delayedAnswers: { remaining: number; ms: number };
  /** The next N user-stream events (fills, order updates) are sent twice, as a venue replaying them would. */
  duplicateEventsRemaining: number;
  /** The next N /exchange requests reach the venue this late (a slow path): carried out after the wait. */
  slowRequests: { remaining: number; ms: number };
}

export function emptyFaults(): FaultState {
  return { stallUntil: 0, malformedRemaining: 0, outOfOrderRemaining: 0, refusedTypes: new Set(), lostAnswersRemaining: 0, delayedAnswers: { remaining: 0, ms: 0 }, duplicateEventsRemaining: 0, slowRequests: { remaining: 0, ms: 0 } };
}

/** Control messages accepted on the simulator's control endpoint. */
export type FaultCommand =
  | { fault: 'drop' }
  | { fault: 'stall'; ms: number }
  | { fault: 'malformed'; count: number }
  | { fault: 'outOfOrder'; count: number }
  | { fault: 'loseAnswers'; count: number }
  | { fault: 'delayAnswers'; count: number; ms: number }
  | { fault: 'slowRequests'; count: number; ms: number }
  | { fault: 'duplicateEvents'; count: number }
  | { fault: 'refuse'; subscriptionType: string }
  /** The simulator's thread ends, as a crash would (tests of the supervisor that restarts it). */
  | { fault: 'crash' }
  | { fault: 'clear' };

export function parseFaultCommand(value: unknown): FaultCommand | string {
  if (typeof value !== 'object' || value === null) return 'expected an object';
  const v = value as Record<string, unknown>;
  const n = (key: string, max: number): number | string => {
    const x = v[key];
    return typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= max ? x : `${key}: expected a number 0..${max}`;
  };
  switch (v.fault) {
    case 'drop':
    case 'clear':
    case 'crash':
      return { fault: v.fault };
    case 'stall': {
      const ms = n('ms', 600_000);
      return typeof ms === 'string' ? ms : { fault: 'stall', ms };
    }
    case 'delayAnswers':
    case 'slowRequests': {
      const count = n('count', 10_000);
      const ms = n('ms', 120_000);
      return typeof count === 'string' ? count : typeof ms === 'string' ? ms : { fault: v.fault, count, ms };
    }
    case 'malformed':
    case 'outOfOrder':
    case 'duplicateEvents':
    case 'loseAnswers': {
      const count = n('count', 10_000);
      return typeof count === 'string' ? count : { fault: v.fault, count };
    }
    case 'refuse':
      return typeof v.subscriptionType === 'string'
        ? { fault: 'refuse', subscriptionType: v.subscriptionType }
        : 'subscriptionType: expected a string';
    default:
      return 'fault: expected one of drop, stall, malformed, outOfOrder, loseAnswers, delayAnswers, slowRequests, duplicateEvents, refuse, crash, clear';
  }
}

/** Malformed frames of several kinds, so the adapter's every parse path is exercised. */
export function malformedFrame(i: number, coin: string): string {
  switch (i % 4) {
    case 0:
      return '{"channel":"l2Book","data":{"coin":"' + coin + '","time":'; // truncated JSON
    case 1:
      return JSON.stringify({ channel: 'l2Book', data: { coin, time: Date.now(), levels: 'not-levels' } });
    case 2:
      return JSON.stringify({ channel: 'l2Book', data: { coin, time: Date.now(), levels: [[{ px: 'abc', sz: '1', n: 1 }], []] } });
    default:
      return JSON.stringify({ channel: 'trades', data: [{ coin, side: 'X', px: '1', sz: '-1', time: 'later', tid: 1 }] });
  }
}
