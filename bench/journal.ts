import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EngineJournal } from '../electron/engine/journal/journal-db.ts';
import { percentile, type Row } from './measure.ts';

/*
 * The engine journal: a row appended while others arrive (group commit, the way the executor
 * writes) against the same rows each waiting for its own commit (one fsync a row), both with
 * SQLite's synchronous=FULL on this machine's disk. Latency is from append to "on disk".
 */
export async function benchJournal(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dd-bench-journal-'));
  try {
    const body = { intentId: 'hedge:BTC:1', clientId: '0x0000000000000000000000000000002a', event: { type: 'fill', size: 0.01, price: 97_000 } };
    const grouped = new EngineJournal(path.join(dir, 'grouped.sqlite'));
    const lat: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 2000 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i % 50));
        const s = performance.now();
        await grouped.append('order-event', body);
        lat.push(performance.now() - s);
      }),
    );
    const groupedMs = performance.now() - t0;
    grouped.close();
    const single = new EngineJournal(path.join(dir, 'single.sqlite'), { groupMs: 0 });
    const t1 = performance.now();
    const one: number[] = [];
    for (let i = 0; i < 300; i++) {
      const s = performance.now();
      await single.append('order-event', body);
      one.push(performance.now() - s);
    }
    const singleRowsPerS = 300 / ((performance.now() - t1) / 1000);
    single.close();
    lat.sort((a, b) => a - b);
    one.sort((a, b) => a - b);
    const groupedRowsPerS = 2000 / (groupedMs / 1000);
    return [
      { bench: 'engine journal, 2000 rows arriving over 50 ms, group commit: append → on disk p50 / p99', result: `${percentile(lat, 50).toFixed(2)} / ${percentile(lat, 99).toFixed(2)} ms`, against: 'limit p99 5 ms', ratio: `${(percentile(lat, 99) / 5).toFixed(2)}× of limit` },
      { bench: 'engine journal rows per second: group commit vs a commit per row', result: `${Math.round(groupedRowsPerS).toLocaleString('en-US')} /s`, against: `one commit a row ${Math.round(singleRowsPerS).toLocaleString('en-US')} /s (p99 ${percentile(one, 99).toFixed(2)} ms)`, ratio: `${(groupedRowsPerS / singleRowsPerS).toFixed(1)}×` },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
