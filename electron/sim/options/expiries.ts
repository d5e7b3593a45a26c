/**
 * Deribit's listing calendar (pricing.md §5): expiries at 08:00 UTC; dailies, weeklies on Fridays,
 * monthlies on the last Friday of the month, quarterlies on the last Friday of Mar/Jun/Sep/Dec.
 */
const DAY = 86_400_000;

function atEight(y: number, m: number, d: number): number {
  return Date.UTC(y, m, d, 8);
}

function lastFriday(y: number, m: number): number {
  const last = new Date(Date.UTC(y, m + 1, 0));
  const back = (last.getUTCDay() - 5 + 7) % 7;
  return atEight(y, m, last.getUTCDate() - back);
}

export type ExpiryKind = 'daily' | 'weekly' | 'monthly' | 'quarterly';

export interface ListedExpiry {
  expiry: number;
  kind: ExpiryKind;
}

/**
 * The next `dailies` days, `weeklies` Fridays, `monthlies` month-ends and `quarterlies` quarter-ends
 * after `now` (+1 h). A day that is also a Friday, a month-end or a quarter-end is listed once, as
 * the longest kind. Three dailies: what Deribit shows on any day (tomorrow's is listed a day ahead).
 */
export function listExpiries(now: number, weeklies = 2, monthlies = 3, quarterlies = 3, dailies = 3): ListedExpiry[] {
  const after = now + 3600_000;
  const out = new Map<number, ExpiryKind>();
  const d = new Date(now);
  for (let day = atEight(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()), n = 0; n < dailies; day += DAY) {
    if (day > after) {
      out.set(day, 'daily');
      n++;
    }
  }
  let friday = atEight(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + ((5 - d.getUTCDay() + 7) % 7));
  for (let n = 0; n < weeklies; friday += 7 * DAY) {
    if (friday > after) {
      out.set(friday, 'weekly');
      n++;
    }
  }
  const addMonthEnds = (count: number, kind: ExpiryKind, every: number): void => {
    let y = d.getUTCFullYear();
    let m = d.getUTCMonth();
    for (let n = 0; n < count; ) {
      const t = lastFriday(y, m);
      if (t > after && (every === 1 || m % 3 === 2)) {
        out.set(t, kind);
        n++;
      }
      m++;
      if (m === 12) {
        m = 0;
        y++;
      }
    }
  };
  addMonthEnds(monthlies, 'monthly', 1);
  addMonthEnds(quarterlies, 'quarterly', 3);
  return [...out].map(([expiry, kind]) => ({ expiry, kind })).sort((a, b) => a.expiry - b.expiry);
}
