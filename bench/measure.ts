/** Runs `fn` in timed batches after a warm-up; returns the median rate in calls per second. */
export function opsPerSecond(fn: (i: number) => void, batch: number, rounds = 7): number {
  for (let i = 0; i < batch; i++) fn(i);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn(i);
    rates.push(batch / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Row {
  bench: string;
  result: string;
  against: string;
  ratio: string;
}

export function printTable(rows: Row[]): void {
  const cols: (keyof Row)[] = ['bench', 'result', 'against', 'ratio'];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
}
