import type { CommandResponse } from '../../../../shared/contract/commands.ts';

type JournalRow = CommandResponse<'journal.query'>['rows'][number];

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180), quotes doubled. */
function field(value: string): string {
  // A field a spreadsheet would run as a formula is prefixed with a quote (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The journal rows as CSV: sequence, UTC time, kind, the row's JSON, and its chain hash. */
export function journalCsv(rows: JournalRow[]): string {
  const lines = ['seq,time_utc,kind,body,hash'];
  for (const r of [...rows].sort((a, b) => a.seq - b.seq)) lines.push([String(r.seq), new Date(r.at).toISOString(), r.kind, r.body, r.hash].map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A one-line reading of a journal row for the table (the full JSON is a click away). */
export function journalSummary(kind: string, body: string): string {
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return body.slice(0, 200);
  }
  const s = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
  if (kind === 'order') return `${s(b.side)} ${s(b.size)} ${s(b.instrument)} @ ${s(b.price)} ${s(b.tif)}${b.reduceOnly ? ' reduce-only' : ''} · ${s(b.purpose)} · ${s(b.venue)}`;
  if (kind === 'order-event') {
    if (b.reconciled) return `${s(b.venue)}: reconciled, ${s(b.changed)} changed`;
    const e = (b.event ?? {}) as Record<string, unknown>;
    const detail = e.type === 'fill' && e.size !== undefined ? ` ${s(e.size)} @ ${s(e.price)}` : e.reason ? `: ${s(e.reason)}` : '';
    return `${s(b.intentId)} ${s(b.from)} → ${b.to === null ? `refused (${s(b.illegal)})` : s(b.to)} by ${s(e.type)}${detail}`;
  }
  if (kind === 'fill') {
    if (b.foreign) return `${s(b.venue)}: a fill for an order DeltaDesk never sent (${s(b.clientId) || 'no client id'})`;
    if (b.refused) return `${s(b.venue)}: refused: ${s(b.refused)}`;
    return `${s(b.side)} ${s(b.size)} ${s(b.instrument)} @ ${s(b.price)} · ${s(b.fillId)}`;
  }
  if (kind === 'alert') {
    const a = (b.alert ?? {}) as Record<string, unknown>;
    return `${s(b.event)} ${s(a.level)}: ${s(a.message)}`;
  }
  if (kind === 'top-up') return `${s(b.what)} ${s(b.position)}${typeof b.amountUsd === 'number' ? ` $${b.amountUsd.toFixed(2)}` : ''}${b.detail ? `: ${s(b.detail)}` : ''}`;
  if (kind === 'divest') return `${s(b.what)} ${s(b.scope)}${b.leg ? ` ${s(b.leg)}` : ''}${b.detail ? `: ${s(b.detail)}` : ''}`;
  if (kind === 'position') return `${s(b.account)}: ${Array.isArray(b.positions) ? (b.positions as { instrument?: unknown; quantity?: unknown }[]).map((p) => `${s(p.instrument)} ${s(p.quantity)}`).join(', ') || 'flat' : ''}`;
  return body.slice(0, 200);
}
