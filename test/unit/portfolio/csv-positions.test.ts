import { describe, expect, it } from 'vitest';
import { parsePositionsCsv } from '../../../electron/engine/portfolio/csv-positions.ts';

describe('positions CSV', () => {
  it('loads good rows and reports each bad row with its line and field', () => {
    const csv = [
      '\uFEFFUnderlying,Type,Quantity,Entry_Price,Instrument,Kind,Strike,Expiry,Settlement,IV_pct',
      'BTC,perp,-2.5,97000,,,,,,',
      '# comment line',
      '',
      'ETH,option,10,0.012,ETH-26MAR27-4000-C,,,,,',
      'BTC,option,1,,,put,80000,2027-02-30,,',
      'BTC,option,1,,,put,80000,2027-03-26,sideways,',
      'BTC,swap,1,1,,,,,,',
      '"BTC","option","-1","0.05","","call","120000","2027-03-26T08:00:00Z","linear","61.5"',
    ].join('\r\n');
    const r = parsePositionsCsv(csv, 'book.csv');
    expect(r.errors.map((e) => e.line)).toEqual([6, 7, 8]);
    expect(r.errors[0]!.message).toMatch(/^expiry: expected a date like 2026-12-25/);
    expect(r.errors[1]!.message).toMatch(/^settlement: expected inverse/);
    expect(r.errors[2]!.message).toMatch(/^type: expected perp, future, spot or option, got "swap"/);
    expect(r.positions.map((p) => p.instrument)).toEqual(['BTC-PERP', 'ETH-26MAR27-4000-C', 'BTC-2027-03-26-120000-C']);
    const [perp, named, quoted] = r.positions;
    expect(perp).toMatchObject({ type: 'perp', quantity: -2.5, entryPrice: 97000, source: 'import', account: 'book.csv' });
    // An option name gives kind, strike, expiry (08:00 UTC) and settlement without more columns.
    expect(named).toMatchObject({ type: 'option', kind: 'call', strike: 4000, expiry: Date.UTC(2027, 2, 26, 8), settlement: 'inverse', entryPremium: 0.012 });
    expect(quoted).toMatchObject({ kind: 'call', settlement: 'linear', vol: 0.615, quantity: -1 });
  });

  it('refuses a file without the required columns, naming them', () => {
    const r = parsePositionsCsv('coin,size\nBTC,1\n', 'x.csv');
    expect(r.positions).toEqual([]);
    expect(r.errors[0]!.message).toMatch(/missing column type, quantity/);
  });

  it('flags duplicate positions and malformed quoting without losing the other rows', () => {
    const r = parsePositionsCsv('underlying,type,quantity,entry_price\nBTC,perp,1,90000\nBTC,perp,2,91000\n"BTC,perp,1,1\nETH,spot,3,3000\n', 'x.csv');
    expect(r.positions.map((p) => p.instrument)).toEqual(['BTC-PERP', 'ETH-SPOT']);
    expect(r.errors).toEqual([
      { line: 3, message: 'same position as line 2 (BTC-PERP); combine them into one row' },
      { line: 4, message: 'unterminated quoted field' },
    ]);
  });

  it('never throws on arbitrary text', () => {
    for (const junk of ['', '\n\n', ',,,', 'type,quantity\n,,,,,,,,', '"', 'type,quantity\noption,1e400', '\u0000\u0001']) {
      const r = parsePositionsCsv(junk, 'j.csv');
      expect(r.positions.every((p) => Number.isFinite(p.quantity))).toBe(true);
    }
  });
});
