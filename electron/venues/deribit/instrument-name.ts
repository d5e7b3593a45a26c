/**
 * Deribit instrument names: `BTC-PERPETUAL`, futures `BTC-27DEC24`, options `BTC-27DEC24-100000-C`,
 * linear options `XRP_USDC-30JUN23-0d625-C` (`d` is the decimal point). Day has no leading zero;
 * expiries are at 08:00 UTC.
 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const EXPIRY_HOUR_UTC = 8;

export function formatExpiryCode(expiryMs: number): string {
  const d = new Date(expiryMs);
  return `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/** `27DEC24` → 27 Dec 2024 08:00 UTC in ms, or null if it is not a date code. */
export function parseExpiryCode(code: string): number | null {
  const m = /^([1-9]|[12][0-9]|3[01])([A-Z]{3})([0-9]{2})$/.exec(code);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!);
  if (month < 0) return null;
  const day = Number(m[1]);
  const ms = Date.UTC(2000 + Number(m[3]), month, day, EXPIRY_HOUR_UTC);
  return new Date(ms).getUTCDate() === day ? ms : null;
}

export function formatStrike(strike: number): string {
  return String(strike).replace('.', 'd');
}

export function optionName(base: string, expiryMs: number, strike: number, kind: 'call' | 'put'): string {
  return `${base}-${formatExpiryCode(expiryMs)}-${formatStrike(strike)}-${kind === 'call' ? 'C' : 'P'}`;
}

export function futureName(base: string, expiryMs: number): string {
  return `${base}-${formatExpiryCode(expiryMs)}`;
}

export interface ParsedOptionName {
  base: string;
  /** Linear options carry the settlement currency in the base, e.g. `XRP_USDC`. */
  settlement: 'inverse' | 'linear';
  expiry: number;
  strike: number;
  kind: 'call' | 'put';
}

export function parseOptionName(name: string): ParsedOptionName | null {
  const parts = name.split('-');
  if (parts.length !== 4) return null;
  const [base, code, strikeText, k] = parts as [string, string, string, string];
  const expiry = parseExpiryCode(code);
  if (expiry === null || (k !== 'C' && k !== 'P') || !/^[0-9]+(d[0-9]+)?$/.test(strikeText)) return null;
  const strike = Number(strikeText.replace('d', '.'));
  if (!(strike > 0)) return null;
  return { base, settlement: base.includes('_') ? 'linear' : 'inverse', expiry, strike, kind: k === 'C' ? 'call' : 'put' };
}
