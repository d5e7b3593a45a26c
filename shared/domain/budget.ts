/**
 * The position limit of one underlying in an approved budget: its own, else the `*` default, else
 * none allowed. `Object.hasOwn`, so "toString" is an underlying like any other. Main's guard and
 * the screen's warnings read the same rule.
 */
export function positionLimitFor(limits: { maxPositionUsd: Record<string, number> }, underlying: string): number {
  if (Object.hasOwn(limits.maxPositionUsd, underlying)) return limits.maxPositionUsd[underlying]!;
  if (Object.hasOwn(limits.maxPositionUsd, '*')) return limits.maxPositionUsd['*']!;
  return 0;
}
