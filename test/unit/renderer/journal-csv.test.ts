import { describe, expect, it } from 'vitest';
import { journalCsv, journalSummary } from '../../../renderer/src/features/journal/journal-csv.ts';

describe('the journal export', () => {
  it('writes RFC 4180 CSV oldest first: quotes doubled, JSON kept whole, formulas defused', () => {
    const rows = [
      { seq: 2, at: Date.UTC(2026, 11, 1, 12, 0, 1), kind: 'fill' as const, body: JSON.stringify({ side: 'buy', size: 0.01, instrument: 'BTC', price: 96000, fillId: 'tid:7' }), hash: 'bb' },
      { seq: 1, at: Date.UTC(2026, 11, 1, 12), kind: 'order' as const, body: '=HYPERLINK("x")', hash: 'aa' },
    ];
    const csv = journalCsv(rows);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('seq,time_utc,kind,body,hash');
    expect(lines[1]).toBe(`1,2026-12-01T12:00:00.000Z,order,"'=HYPERLINK(""x"")",aa`);
    expect(lines[2]).toBe(`2,2026-12-01T12:00:01.000Z,fill,"{""side"":""buy"",""size"":0.01,""instrument"":""BTC"",""price"":96000,""fillId"":""tid:7""}",bb`);
    expect(lines[3]).toBe('');
  });

  it('reads each kind in a line a trader can scan', () => {
    expect(journalSummary('order-event', JSON.stringify({ intentId: 'i1', from: 'accepted', to: 'partially-filled', event: { type: 'fill', size: 0.4, price: 96001 } }))).toBe('i1 accepted → partially-filled by fill 0.4 @ 96001');
    expect(journalSummary('order-event', JSON.stringify({ intentId: 'i2', from: 'cancelled', to: null, illegal: 'a fill on a cancelled order', event: { type: 'fill' } }))).toBe('i2 cancelled → refused (a fill on a cancelled order) by fill');
    expect(journalSummary('fill', JSON.stringify({ venue: 'hyperliquid', clientId: '0xabc', foreign: true }))).toBe('hyperliquid: a fill for an order DeltaDesk never sent (0xabc)');
    expect(journalSummary('position', JSON.stringify({ account: '0x1', positions: [] }))).toBe('0x1: flat');
    expect(journalSummary('order', 'not json')).toBe('not json');
  });
});
