import { benchChainLatency } from './chain-latency.ts';
import { benchDeribitBook } from './deribit-book.ts';
import { benchDeribitOrderPath } from './deribit-order-path.ts';
import { benchJournal } from './journal.ts';
import { benchOrderPath } from './order-path.ts';
import { benchParseApply } from './parse-apply.ts';
import { benchPortfolioLadder } from './portfolio-ladder.ts';
import { benchPricing } from './pricing.ts';
import { printTable, type Row } from './measure.ts';
import { benchStreamCodec } from './stream-codec.ts';
import { benchTickToDom } from './tick-to-dom.ts';
import { benchVault } from './vault.ts';

/** `npm run bench`: every benchmark in one run, one table. Needs the built app (the script builds it). */
const rows: Row[] = [];
rows.push(...benchPricing());
rows.push(...benchParseApply());
rows.push(...benchStreamCodec());
rows.push(...benchDeribitBook());
rows.push(...(await benchTickToDom()));
rows.push(...(await benchChainLatency()));
rows.push(...(await benchPortfolioLadder()));
rows.push(...(await benchVault()));
rows.push(...(await benchJournal()));
rows.push(...(await benchOrderPath()));
rows.push(...(await benchDeribitOrderPath()));
console.log(`\nDeltaDesk benchmarks — Node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
printTable(rows);
