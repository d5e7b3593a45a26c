/** Display helpers for the vault screen. */
export { shortAddress } from '../../../../shared/format/address.ts';

/** "29 d 4 h left", "3 h 10 min left", "expired". */
export function expiryText(validUntil: number | null, now: number): string {
  if (validUntil === null) return 'no expiry';
  const left = validUntil - now;
  if (left <= 0) return 'expired';
  const d = Math.floor(left / 86_400_000);
  const h = Math.floor((left % 86_400_000) / 3_600_000);
  const m = Math.floor((left % 3_600_000) / 60_000);
  return d > 0 ? `${d} d ${h} h left` : `${h} h ${m} min left`;
}

export function usd(n: number): string {
  return `$${Math.round(n).toLocaleString('en-US')}`;
}
