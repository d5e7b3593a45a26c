/** Milliseconds in the ACT/365 year used for every year fraction (DESIGN.md §5). */
export const MS_PER_YEAR = 365 * 86_400_000;
