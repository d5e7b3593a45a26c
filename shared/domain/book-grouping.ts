/**
 * Book grouping the venue does itself. A venue sends a fixed number of levels (Hyperliquid: 20 a
 * side), so grouping those on screen shows less depth the coarser it gets: $100 buckets of a
 * $1-tick book are one level. Hyperliquid aggregates server-side instead: an `l2Book` subscription
 * with `nSigFigs` (2–5) rounds prices to that many significant figures, and with 5 a `mantissa` of
 * 2 or 5 doubles or quintuples the step (venues.md §1, l2Book). Each grouping then still carries 20
 * levels, so depth grows with the step.
 */
export interface BookAggregation {
  nSigFigs: 2 | 3 | 4 | 5;
  /** Only with 5 significant figures: the step is 2× or 5× the 5-figure step. */
  mantissa: 2 | 5 | null;
}

/** Groupings the book offers, as multiples of the tick: each is a step the venue aggregates at. */
export const BOOK_GROUPINGS = [1, 2, 5, 10, 100, 1000] as const;

const AGGREGATIONS: readonly BookAggregation[] = [
  { nSigFigs: 5, mantissa: null },
  { nSigFigs: 5, mantissa: 2 },
  { nSigFigs: 5, mantissa: 5 },
  { nSigFigs: 4, mantissa: null },
  { nSigFigs: 3, mantissa: null },
  { nSigFigs: 2, mantissa: null },
];

/** Digits before the decimal point of a positive price (1 for 0.5 and for 9.99, 5 for 97,000). */
function integerDigits(price: number): number {
  let e = Math.floor(Math.log10(price));
  // log10 can land a hair under an exact power of ten.
  if (Number(`1e${e + 1}`) <= price) e++;
  return e + 1;
}

/** The price step of an aggregation near `price`: 10^(digits − nSigFigs) × mantissa, exact in decimal. */
export function aggregationStep(price: number, agg: BookAggregation): number {
  return Number(`${agg.mantissa ?? 1}e${integerDigits(price) - agg.nSigFigs}`);
}

/**
 * The aggregation whose step at `price` is `step`, or null where the venue offers none (the raw
 * book is finer, or the step is not one of the venue's): the screen then groups the raw levels.
 */
export function aggregationFor(price: number, step: number, tick: number): BookAggregation | null {
  if (!(price > 0) || !(step > tick * (1 + 1e-9))) return null;
  return AGGREGATIONS.find((a) => Math.abs(aggregationStep(price, a) - step) <= step * 1e-9) ?? null;
}

/** Whether a price lies on an aggregation's grid, at its own magnitude or at the touch's (where a side crosses a power of ten). */
export function onAggregationGrid(price: number, agg: BookAggregation, touch: number): boolean {
  const step = Math.min(aggregationStep(price, agg), aggregationStep(touch, agg));
  const q = price / step;
  return Math.abs(q - Math.round(q)) <= 1e-6;
}

export const sameAggregation = (a: BookAggregation | null, b: BookAggregation | null): boolean => a?.nSigFigs === b?.nSigFigs && (a?.mantissa ?? null) === (b?.mantissa ?? null);
