/**
 * Display formatting only. Anything signed or sent to a venue is formatted by that venue's exact
 * decimal rules elsewhere, never by these.
 */
const fixedFormats = new Map<number, Intl.NumberFormat>();

function fixed(decimals: number): Intl.NumberFormat {
  let f = fixedFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    fixedFormats.set(decimals, f);
  }
  return f;
}

/** 97,012.5 — grouped thousands, fixed decimals. Non-finite values show as an en dash. */
export function formatFixed(value: number, decimals: number): string {
  return Number.isFinite(value) ? fixed(Math.max(0, Math.min(20, decimals))).format(value) : '–';
}

/**
 * `decimals` places below `limit`, none from it — decided on the rounded figure, so 9.97 with one
 * place reads "10", not "10.0", and keeps the width the column was sized for.
 */
export function formatFixedBelow(value: number, limit: number, decimals: number): string {
  return formatFixed(value, Math.abs(Number(value.toFixed(decimals))) >= limit ? 0 : decimals);
}

/** 1.23M, 45.6K, 980 — for notional columns where width matters more than the last dollar. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${formatFixed(value / 1e9, 2)}B`;
  if (abs >= 1e6) return `${formatFixed(value / 1e6, 2)}M`;
  if (abs >= 1e4) return `${formatFixed(value / 1e3, 1)}K`;
  return formatFixed(value, 0);
}

/** 0.05, 1.2345 — a size to at most `maxDecimals`, without trailing zeros. */
export function formatSize(value: number, maxDecimals: number): string {
  const text = formatFixed(value, maxDecimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** $2.06, $4,578, $42.5K — money, with cents while they matter. */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${value < 0 ? '−' : ''}$${Math.abs(value) < 100 ? formatFixed(Math.abs(value), 2) : formatCompact(Math.abs(value))}`;
}

/** $30,000 — whole dollars, grouped, for the words of refusals and alerts. */
export function formatDollars(value: number): string {
  return `$${Math.round(value).toLocaleString('en-US')}`;
}

/** Decimals needed to show a step such as 0.5 or 0.01 exactly. */
export function decimalsOf(step: number): number {
  if (!(step > 0) || step >= 1) return 0;
  return Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

/** +1,234 / −0.321: an explicit sign, except on a figure that rounds to zero. Non-finite → en dash. */
export function formatSigned(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '–';
  const text = formatFixed(Math.abs(value), decimals);
  return /^0(\.0+)?$/.test(text) ? text : `${value < 0 ? '−' : '+'}${text}`;
}

/** Signed percentage with two decimals: +1.25 %, −0.40 %. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–';
  const sign = fraction > 0 ? '+' : fraction < 0 ? '−' : '';
  return `${sign}${formatFixed(Math.abs(fraction * 100), 2)} %`;
}
