import { createHash } from 'node:crypto';

/*
 * Client order ids. One intent (a hedge step, a ticket, a kill-switch leg) gets one id, derived
 * from the intent's own id, so a retry after a lost answer sends the same id — the venue refuses a
 * duplicate, and the executor can ask the venue "do you have this one?" before it sends again.
 * Hyperliquid's `cloid` is 16 bytes as 0x + 32 lowercase hex; Deribit's `label` takes up to 64
 * characters, and the same hex serves there.
 */

/** The cloid of attempt `attempt` of an intent (a new attempt only once the venue said the last is gone). */
export function clientOrderId(intentId: string, attempt = 0): string {
  if (!/^[\w:.-]{1,120}$/.test(intentId)) throw new RangeError(`intent id must be 1–120 letters, digits, _ : . -, got ${JSON.stringify(intentId.slice(0, 40))}`);
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > 999) throw new RangeError(`attempt must be a whole number 0–999, got ${attempt}`);
  return `0x${createHash('sha256').update(`deltadesk-order|${intentId}|${attempt}`).digest('hex').slice(0, 32)}`;
}

export function isClientOrderId(value: unknown): value is string {
  return typeof value === 'string' && /^0x[0-9a-f]{32}$/.test(value);
}
