import type { OptionPositionDef, PositionDef } from '../../../shared/domain/portfolio.ts';
import { parseOptionName } from '../../venues/deribit/instrument-name.ts';

/**
 * Positions held elsewhere, from a CSV file (docs/positions-csv.md). One header row names the
 * columns, in any order; `#` starts a comment line. Each bad row gets its own error with its line
 * number and the good rows still load.
 */
export const CSV_COLUMNS = ['underlying', 'type', 'quantity', 'entry_price', 'instrument', 'kind', 'strike', 'expiry', 'settlement', 'iv_pct', 'account'] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: Column[] = ['type', 'quantity'];

export const MAX_CSV_ROWS = 5000;

export interface CsvRowError {
  line: number;
  message: string;
}

export interface CsvImport {
  positions: PositionDef[];
  errors: CsvRowError[];
}

export function parsePositionsCsv(text: string, fileLabel: string): CsvImport {
  const out: CsvImport = { positions: [], errors: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: string[] | null = null;
  let rows = 0;
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const cells = splitCsvLine(raw);
    if (typeof cells === 'string') {
      out.errors.push({ line: lineNo, message: cells });
      continue;
    }
    if (!header) {
      header = cells.map((c) => c.trim().toLowerCase());
      const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
      const missing = REQUIRED.filter((c) => !header!.includes(c));
      if (missing.length || unknown.length) {
        out.errors.push({
          line: lineNo,
          message: [
            missing.length ? `missing column ${missing.join(', ')}` : '',
            unknown.length ? `unknown column ${unknown.join(', ')} (expected ${CSV_COLUMNS.join(', ')})` : '',
          ]
            .filter(Boolean)
            .join('; '),
        });
        if (missing.length) return out;
      }
      continue;
    }
    if (++rows > MAX_CSV_ROWS) {
      out.errors.push({ line: lineNo, message: `more than ${MAX_CSV_ROWS} rows; the rest of the file was not read` });
      break;
    }
    const row = Object.fromEntries(header.map((h, j) => [h, (cells[j] ?? '').trim()])) as Partial<Record<Column, string>>;
    if (cells.length > header.length) {
      out.errors.push({ line: lineNo, message: `${cells.length} fields but the header has ${header.length}` });
      continue;
    }
    const parsed = parseRow(row, fileLabel);
    if (typeof parsed === 'string') {
      out.errors.push({ line: lineNo, message: parsed });
      continue;
    }
    const earlier = seen.get(parsed.id);
    if (earlier !== undefined) {
      out.errors.push({ line: lineNo, message: `same position as line ${earlier} (${parsed.instrument}); combine them into one row` });
      continue;
    }
    seen.set(parsed.id, lineNo);
    out.positions.push(parsed);
  }
  if (!header) out.errors.push({ line: 1, message: `no header row; expected columns such as ${CSV_COLUMNS.join(', ')}` });
  return out;
}

function parseRow(row: Partial<Record<Column, string>>, fileLabel: string): PositionDef | string {
  const type = (row.type ?? '').toLowerCase();
  if (!['perp', 'future', 'spot', 'option'].includes(type)) return `type: expected perp, future, spot or option, got "${row.type ?? ''}"`;
  const quantity = number(row.quantity, 'quantity');
  if (typeof quantity === 'string') return quantity;
  if (quantity === 0) return 'quantity: must not be 0 (positive = long, negative = short, in coins)';
  const account = row.account || fileLabel;
  const fromName = type === 'option' && row.instrument ? parseOptionName(row.instrument.toUpperCase()) : null;
  const underlying = (row.underlying || fromName?.base.split('_')[0] || '').toUpperCase();
  if (!/^[A-Z0-9]{1,12}$/.test(underlying)) return `underlying: expected a coin such as BTC, got "${row.underlying ?? ''}"`;
  if (type !== 'option') {
    const entry = number(row.entry_price, 'entry_price');
    if (typeof entry === 'string') return entry;
    if (!(entry > 0)) return 'entry_price: expected a price above 0, USD per coin';
    const instrument = row.instrument || `${underlying}-${type.toUpperCase()}`;
    return { id: `import:${account}:${instrument}`, source: 'import', account, underlying, instrument, type: type as 'perp' | 'future' | 'spot', quantity, entryPrice: entry };
  }
  if (row.instrument && !fromName && !(row.kind && row.strike && row.expiry)) {
    return `instrument: "${row.instrument}" is not an option name like BTC-27DEC24-100000-C; give kind, strike and expiry instead`;
  }
  const kind = fromName?.kind ?? (row.kind ?? '').toLowerCase();
  if (kind !== 'call' && kind !== 'put') return `kind: expected call or put, got "${row.kind ?? ''}"`;
  const strike = fromName?.strike ?? number(row.strike, 'strike');
  if (typeof strike === 'string') return strike;
  if (!(strike > 0)) return 'strike: expected a price above 0, USD';
  const expiry = fromName?.expiry ?? parseExpiry(row.expiry ?? '');
  if (typeof expiry === 'string') return expiry;
  const settlement = (row.settlement || fromName?.settlement || 'inverse').toLowerCase();
  if (settlement !== 'inverse' && settlement !== 'linear') return `settlement: expected inverse (premium in coin) or linear (premium in USD), got "${row.settlement}"`;
  let entryPremium = NaN;
  if (row.entry_price) {
    const e = number(row.entry_price, 'entry_price');
    if (typeof e === 'string') return e;
    if (e < 0) return 'entry_price: a premium cannot be negative (the sign of quantity says long or short)';
    entryPremium = e;
  }
  let vol: number | undefined;
  if (row.iv_pct) {
    const v = number(row.iv_pct, 'iv_pct');
    if (typeof v === 'string') return v;
    if (!(v > 0 && v < 1000)) return `iv_pct: expected an implied vol in percent between 0 and 1000, got ${v}`;
    vol = v / 100;
  }
  const instrument = row.instrument?.toUpperCase() || `${underlying}-${new Date(expiry).toISOString().slice(0, 10)}-${strike}-${kind === 'call' ? 'C' : 'P'}`;
  const def: OptionPositionDef = {
    id: `import:${account}:${instrument}`,
    source: 'import',
    account,
    underlying,
    instrument,
    type: 'option',
    quantity,
    kind,
    strike,
    expiry,
    settlement,
    entryPremium,
    ...(vol !== undefined ? { vol } : {}),
  };
  return def;
}

function number(text: string | undefined, column: string): number | string {
  const t = (text ?? '').replace(/_/g, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t)) return `${column}: expected a number, got "${text ?? ''}"`;
  const n = Number(t);
  return Number.isFinite(n) ? n : `${column}: out of range`;
}

/** `2026-12-25` (expires 08:00 UTC, the Deribit convention) or a full ISO time with zone. */
function parseExpiry(text: string): number | string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const t = Date.parse(`${text}T08:00:00Z`);
    if (Number.isFinite(t) && new Date(t).toISOString().startsWith(text)) return t;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const t = Date.parse(text);
    if (Number.isFinite(t)) return t;
  }
  return `expiry: expected a date like 2026-12-25 (08:00 UTC) or an ISO time with zone, got "${text}"`;
}

/** RFC 4180 fields on one line: commas, double quotes around a field, "" for a quote inside. */
function splitCsvLine(line: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return 'unterminated quoted field';
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      out.push(value);
      if (i < line.length && line[i] !== ',') return `unexpected text after a quoted field at column ${i + 1}`;
      i++;
    } else {
      const end = line.indexOf(',', i);
      out.push(end === -1 ? line.slice(i) : line.slice(i, end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return out;
}
