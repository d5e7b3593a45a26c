import { ColorType } from 'lightweight-charts';
import { COLORS } from '../../app/theme.ts';

/** The look every chart shares: panel background, muted text and grid, borders, no attribution logo. */
export const CHART_THEME = {
  autoSize: true,
  layout: { background: { type: ColorType.Solid, color: COLORS.panel }, textColor: COLORS.muted, fontSize: 11, attributionLogo: false },
  grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
  rightPriceScale: { borderColor: COLORS.border },
} as const;

/** Crosshair labels in the border colour, for the price-axis (options) charts. */
export const QUIET_CROSSHAIR = { horzLine: { labelBackgroundColor: COLORS.border }, vertLine: { labelBackgroundColor: COLORS.border } } as const;

/**
 * Blank points 6 % of the span beyond each end: room for the end labels, and the fit's ends are
 * not drawn on the edge. Never below zero: every axis padded here (strikes, prices, days to
 * expiry) is positive, and a "−12" days label would be read as a figure.
 */
export function padded<T extends { time: number }>(data: T[]): (T | { time: number })[] {
  if (data.length < 2) return data;
  const first = data[0]!.time;
  const last = data[data.length - 1]!.time;
  const pad = Math.max((last - first) * 0.06, 1e-6);
  const left = first >= 0 ? Math.max(0, first - pad) : first - pad;
  return [...(left < first ? [{ time: left }] : []), ...data, { time: last + pad }];
}
