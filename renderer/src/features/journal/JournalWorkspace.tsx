import { useCallback, useEffect, useState } from 'react';
import type { CommandResponse } from '../../../../shared/contract/commands.ts';
import { JOURNAL_KINDS, type JournalKind } from '../../../../shared/domain/journal.ts';
import { call } from '../../bridge/terminal.ts';
import { journalCsv, journalSummary } from './journal-csv.ts';

type Page = CommandResponse<'journal.query'>;

const KIND_LABELS: Record<JournalKind, string> = { order: 'Orders', 'order-event': 'Order events', fill: 'Fills', position: 'Positions', hedge: 'Hedges', alert: 'Alerts', 'top-up': 'Top-ups', divest: 'Kill switch' };
const EXPORT_LIMIT = 5000;

/** A date input's value (YYYY-MM-DD, taken as UTC) as ms, or null when empty. */
function dayStart(value: string): number | null {
  return value ? Date.parse(`${value}T00:00:00Z`) : null;
}

/**
 * The engine's journal (orders, their events, fills, position snapshots), newest first, filtered
 * by kind, UTC day range and text, and exported as CSV exactly as filtered.
 */
export function JournalWorkspace() {
  const [kinds, setKinds] = useState<JournalKind[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const query = useCallback(
    (limit: number) => {
      const end = dayStart(to);
      return call('journal.query', { kinds, from: dayStart(from), to: end === null ? null : end + 86_400_000, text, limit });
    },
    [kinds, from, to, text],
  );
  useEffect(() => {
    let stop = false;
    const load = (): void =>
      void query(500).then(
        (p) => {
          if (stop) return;
          setPage(p);
          setError(null);
        },
        (e: Error) => !stop && setError(e.message),
      );
    load();
    const timer = setInterval(load, 2000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [query]);
  const exportCsv = async (): Promise<void> => {
    try {
      const all = await query(EXPORT_LIMIT);
      const url = URL.createObjectURL(new Blob([journalCsv(all.rows)], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `deltadesk-journal-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      if (all.total > all.rows.length) setError(`exported the newest ${all.rows.length} of ${all.total} rows; narrow the filter for the rest`);
    } catch (e) {
      setError(`export failed: ${(e as Error).message}`);
    }
  };
  const toggle = (k: JournalKind): void => setKinds((ks) => (ks.includes(k) ? ks.filter((x) => x !== k) : [...ks, k]));
  return (
    <section className="panel journal-workspace" aria-label="Journal">
      <header className="panel-header">
        <h2>
          Journal <span className="muted">{page ? `${page.rows.length} of ${page.total} rows${page.file ? ` · ${page.file}` : ' · in memory'}` : 'reading…'}</span>
        </h2>
        <div className="controls">
          {JOURNAL_KINDS.map((k) => (
            <button key={k} className={`chip${kinds.includes(k) ? ' on' : ''}`} aria-pressed={kinds.includes(k)} onClick={() => toggle(k)}>
              {KIND_LABELS[k]}
            </button>
          ))}
          <label className="control">
            From (UTC)
            <input type="date" className="num-input date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From day (UTC)" />
          </label>
          <label className="control">
            To
            <input type="date" className="num-input date" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To day (UTC)" />
          </label>
          <input className="num-input text" placeholder="contains…" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} aria-label="Text the row contains" />
          <button className="toggle" onClick={() => void exportCsv()}>
            Export CSV
          </button>
        </div>
      </header>
      {page?.damaged ? (
        <div className="banner warn" role="alert">
          {page.damaged}
        </div>
      ) : null}
      {error ? (
        <div className="banner error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="orders-scroll">
        <table className="orders-table journal-table">
          <thead>
            <tr>
              <th>#</th>
              <th title="UTC">Time</th>
              <th className="left">Kind</th>
              <th className="left">What</th>
            </tr>
          </thead>
          <tbody>
            {page?.rows.map((r) => (
              <tr key={r.seq} onClick={() => setOpen(open === r.seq ? null : r.seq)} className={open === r.seq ? 'selected' : ''}>
                <td>{r.seq}</td>
                <td>{new Date(r.at).toISOString().replace('T', ' ').slice(0, 23)}</td>
                <td className="left">{KIND_LABELS[r.kind]}</td>
                <td className="left journal-what">{open === r.seq ? <pre>{JSON.stringify(JSON.parse(r.body), null, 2)}</pre> : journalSummary(r.kind, r.body)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page && !page.rows.length ? <div className="empty">Nothing in the journal matches.</div> : null}
      </div>
    </section>
  );
}
