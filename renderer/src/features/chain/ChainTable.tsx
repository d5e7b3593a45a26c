import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { OptionContract, OptionKind } from '../../../../shared/domain/options.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { rowValue, useOptionsStore } from '../../stores/options-store.ts';
import { useViewStore, type PremiumUnit } from '../../stores/view-store.ts';
import { latencyProbeEnabled } from '../orderbook/latency-probe.ts';
import { recordChainRowPainted } from './chain-latency.ts';
import { NARROW, useMediaQuery } from '../../app/use-media.ts';
import { premiumText, premiumUnitLabel } from './premium.ts';
import { greekDiffers, type StrikeRow } from './chain-model.ts';

const ROW_H = 22;
const OVERSCAN = 6;

/** `ch`: the widest figure the column shows, in digits of the chain's monospaced font (≠ flag included). */
type Col = { key: string; label: string; unit: string; title: string; ch: number };

/** A premium column's unit header: the coin or USD, as the U switch says. */
const PREMIUM = 'premium';

/** Calls read outward from the strike, puts mirror them, as on the venue's own chain. */
const SIDE: Col[] = [
  { key: 'oi', label: 'OI', unit: 'contracts', title: 'Open interest, contracts (1 contract = 1 coin)', ch: 5 },
  { key: 'theta', label: 'Θ', unit: '$/day', title: 'Theta: USD per calendar day, per contract (ours; ≠ marks a venue difference)', ch: 6.5 },
  { key: 'vega', label: 'Vega', unit: '$/vol pt', title: 'Vega: USD per 1 vol point, per contract', ch: 6 },
  { key: 'gamma', label: 'Γ', unit: 'Δ/1 %', title: 'Gamma: change in coin delta for a 1 % move of the underlying', ch: 7 },
  { key: 'delta', label: 'Δ', unit: 'coin', title: 'Delta: coins per contract (Black-76 N(d1)); hover for premium-adjusted', ch: 7 },
  { key: 'markIv', label: 'IV', unit: 'mark %', title: 'Implied vol of the venue’s mark', ch: 5 },
  { key: 'bidIv', label: 'IV bid', unit: '%', title: 'Implied vol of the best bid', ch: 5 },
  { key: 'bid', label: 'Bid', unit: PREMIUM, title: 'Best bid (hover for size)', ch: 7 },
  { key: 'mark', label: 'Mark', unit: PREMIUM, title: 'Venue mark price; hover for mark IV and the fitted surface', ch: 7 },
  { key: 'ask', label: 'Ask', unit: PREMIUM, title: 'Best ask (hover for size)', ch: 7 },
  { key: 'askIv', label: 'IV ask', unit: '%', title: 'Implied vol of the best ask', ch: 5 },
];

/** Below 1800 px open interest gives way; below 1400 px the bid and ask IVs too (each in its price's tooltip). */
const SIDE_MID = SIDE.filter((c) => c.key !== 'oi');
const SIDE_NARROW = SIDE_MID.filter((c) => c.key !== 'bidIv' && c.key !== 'askIv');

/** Both venues' quotes side by side: Deribit's touch, Derive's beside it (USD converted to the unit shown). */
const VENUES_SIDE: Col[] = [
  { key: 'delta', label: 'Δ', unit: 'coin', title: 'Delta: coins per contract (Black-76 N(d1))', ch: 7 },
  { key: 'bidIv', label: 'IV bid', unit: '%', title: 'Implied vol of Deribit’s best bid', ch: 5 },
  { key: 'peerBid', label: 'Bid', unit: 'Derive', title: 'Derive’s best bid for the same contract (hover for size and IV); bold where it beats Deribit’s', ch: 7 },
  { key: 'bid', label: 'Bid', unit: 'Deribit', title: 'Deribit’s best bid (hover for size)', ch: 7 },
  { key: 'mark', label: 'Mark', unit: 'Deribit', title: 'Deribit mark; hover for both venues’ mark IVs and the joint surface', ch: 7 },
  { key: 'ask', label: 'Ask', unit: 'Deribit', title: 'Deribit’s best ask (hover for size)', ch: 7 },
  { key: 'peerAsk', label: 'Ask', unit: 'Derive', title: 'Derive’s best ask for the same contract (hover for size and IV); bold where it beats Deribit’s', ch: 7 },
  { key: 'askIv', label: 'IV ask', unit: '%', title: 'Implied vol of Deribit’s best ask', ch: 5 },
];

/** Greeks at the precision a trader reads: fewer decimals as the number grows, so columns stay narrow. */
function greek(x: number): string {
  const a = Math.abs(x);
  return formatFixed(x, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

/**
 * Each column as wide as its widest figure and no wider than its share: a figure is never cut.
 * Columns that give way on narrower windows keep their figure in a neighbour's tooltip.
 */
function gridColumns(cols: Col[]): string {
  const side = cols.map((c) => `minmax(calc(${c.ch}ch + 6px), 1fr)`);
  return [...side, '84px', ...[...side].reverse()].join(' ');
}

const pct = (x: number): string => (x > 0 ? formatFixed(x * 100, 1) : '–');

function Cell({ v, title, cls, flag }: { v: string; title?: string; cls?: string; flag?: string | null }) {
  return (
    <span role="gridcell" className={cls} title={flag ? `${title ?? ''}${title ? ' · ' : ''}${flag}` : title}>
      {v}
      {flag ? <sup className="differs">≠</sup> : null}
    </span>
  );
}

function SideCells({ c, values, unit, side, cols }: { c: OptionContract | undefined; values: Float64Array; unit: PremiumUnit; side: OptionKind; cols: Col[] }) {
  if (!c) return <>{cols.map((col) => <span key={col.key} role="gridcell" />)}</>;
  const v = (f: Parameters<typeof rowValue>[2]) => rowValue(values, c.row, f);
  const index = v('index');
  const forward = v('forward');
  const flag = (field: 'delta' | 'gamma' | 'vega' | 'theta', ours: number, venue: number, digits: number) =>
    greekDiffers(field, ours, venue) ? `venue ${formatFixed(venue, digits)}, ours ${formatFixed(ours, digits)}` : null;
  const cells: Record<string, React.ReactNode> = {
    oi: <Cell key="oi" v={formatFixed(v('openInterest'), 0)} cls="dim" />,
    theta: <Cell key="theta" v={greek(v('theta'))} flag={flag('theta', v('theta'), v('venueTheta'), 2)} />,
    vega: <Cell key="vega" v={greek(v('vega'))} flag={flag('vega', v('vega'), v('venueVega'), 2)} />,
    gamma: <Cell key="gamma" v={formatFixed(v('gamma') * forward * 0.01, 4)} flag={flag('gamma', v('gamma'), v('venueGamma'), 6)} />,
    delta: <Cell key="delta" v={formatFixed(v('delta'), 3)} title={`premium-adjusted ${formatFixed(v('deltaNet'), 3)} coin`} flag={flag('delta', v('delta'), v('venueDelta'), 4)} />,
    bidIv: <Cell key="bidIv" v={pct(v('bidIv'))} cls="iv bid" />,
    markIv: <Cell key="markIv" v={pct(v('markIv'))} cls="iv" />,
    bid: <Cell key="bid" v={premiumText(v('bid'), index, unit, c.tick)} cls="px bid" title={`${formatFixed(v('bidSize'), 1)} contracts · IV ${pct(v('bidIv'))} %`} />,
    mark: <Cell key="mark" v={premiumText(v('mark'), index, unit, c.tick)} cls="px mark" title={`mark IV ${pct(v('markIv'))} % · surface ${pct(v('fitIv'))} % · open interest ${formatFixed(v('openInterest'), 0)}`} />,
    ask: <Cell key="ask" v={premiumText(v('ask'), index, unit, c.tick)} cls="px ask" title={`${formatFixed(v('askSize'), 1)} contracts · IV ${pct(v('askIv'))} %`} />,
    askIv: <Cell key="askIv" v={pct(v('askIv'))} cls="iv ask" />,
  };
  if (cols === VENUES_SIDE) {
    const peerBid = v('peerBid');
    const peerAsk = v('peerAsk');
    const where = c.peer ? '' : ' · not listed on Derive';
    cells.peerBid = <Cell key="peerBid" v={c.peer ? premiumText(peerBid / index, index, unit, c.tick) : '·'} cls={`px peer${peerBid > v('bid') * index ? ' better' : ''}`} title={c.peer ? `Derive ${c.peer.name}: ${formatFixed(v('peerBidSize'), 2)} contracts · IV ${pct(v('peerBidIv'))} %` : `Deribit only${where}`} />;
    cells.peerAsk = <Cell key="peerAsk" v={c.peer ? premiumText(peerAsk / index, index, unit, c.tick) : '·'} cls={`px peer${peerAsk < v('ask') * index ? ' better' : ''}`} title={c.peer ? `Derive ${c.peer.name}: ${formatFixed(v('peerAskSize'), 2)} contracts · IV ${pct(v('peerAskIv'))} %` : `Deribit only${where}`} />;
    cells.mark = <Cell key="mark" v={premiumText(v('mark'), index, unit, c.tick)} cls="px mark" title={`Deribit mark IV ${pct(v('markIv'))} % · Derive ${pct(v('peerMarkIv'))} % · joint surface ${pct(v('fitIv'))} %`} />;
  }
  const order = side === 'call' ? cols : [...cols].reverse();
  return <>{order.map((col) => cells[col.key])}</>;
}

export function ChainTable({ rows, atm, forward }: { rows: StrikeRow[]; atm: number | null; forward: number }) {
  const values = useOptionsStore((s) => s.values);
  useOptionsStore((s) => s.tick);
  const unit = useViewStore((s) => s.premiumUnit);
  const cursorStrike = useViewStore((s) => s.cursorStrike);
  const cursorKind = useViewStore((s) => s.cursorKind);
  const setCursor = useViewStore((s) => s.setCursor);
  const venues = useViewStore((s) => s.chainView) === 'venues';
  const narrow = useMediaQuery(NARROW);
  const mid = useMediaQuery('(max-width: 1800px)');
  const underlying = useViewStore((s) => s.optionUnderlying);
  const cols = venues ? VENUES_SIDE : narrow ? SIDE_NARROW : mid ? SIDE_MID : SIDE;
  const body = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const painted = useRef(new Map<number, number>());

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const onScroll = () => setView({ top: el.scrollTop, height: el.clientHeight });
    const ro = new ResizeObserver(onScroll);
    ro.observe(el);
    el.addEventListener('scroll', onScroll, { passive: true });
    onScroll();
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, []);

  // Keyboard moves keep the cursor in view; the first view of an expiry centres on the money.
  const focusStrike = cursorStrike ?? atm;
  useEffect(() => {
    const el = body.current;
    const i = rows.findIndex((r) => r.strike === focusStrike);
    if (!el || i < 0) return;
    const y = i * ROW_H;
    if (y < el.scrollTop || y + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, y - el.clientHeight / 2);
  }, [focusStrike, rows]);

  const first = Math.max(0, Math.floor(view.top / ROW_H) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_H) + OVERSCAN);
  const visible = useMemo(() => rows.slice(first, last), [rows, first, last]);

  useLayoutEffect(() => {
    if (!latencyProbeEnabled) return;
    for (const r of visible) {
      for (const c of [r.call, r.put]) {
        if (!c) continue;
        const at = rowValue(values, c.row, 'receivedAt');
        if (at > 0 && painted.current.get(c.row) !== at) {
          painted.current.set(c.row, at);
          recordChainRowPainted(at);
        }
      }
    }
  });

  return (
    <div className={`chain-table${venues ? ' venues' : ''}`} role="grid" aria-label="Options chain" style={{ '--chain-columns': gridColumns(cols) } as React.CSSProperties}>
      <div className="chain-head">
        <div className="chain-sides">
          <span className="side-label calls">Calls</span>
          <span className="strike-head">Forward {formatFixed(forward, 0)}</span>
          <span className="side-label puts">Puts</span>
        </div>
        <div className="chain-row header" role="row">
          {cols.map((c) => (
            <span key={`c-${c.key}`} title={c.title} role="columnheader" className={c.key.startsWith('peer') ? 'peer-head' : undefined}>
              {c.label}
              {c.unit ? <small>{c.unit === PREMIUM ? premiumUnitLabel(unit, underlying) : c.unit}</small> : null}
            </span>
          ))}
          <span className="strike" role="columnheader">
            Strike<small>USD</small>
          </span>
          {[...cols].reverse().map((c) => (
            <span key={`p-${c.key}`} title={c.title} role="columnheader" className={c.key.startsWith('peer') ? 'peer-head' : undefined}>
              {c.label}
              {c.unit ? <small>{c.unit === PREMIUM ? premiumUnitLabel(unit, underlying) : c.unit}</small> : null}
            </span>
          ))}
        </div>
      </div>
      <div className="chain-body" ref={body}>
        <div style={{ height: first * ROW_H }} />
        {visible.map((r) => {
          const itmCall = forward > r.strike;
          const cursor = r.strike === cursorStrike;
          return (
            <div
              key={r.strike}
              role="row"
              className={`chain-row${r.strike === atm ? ' atm' : ''}${cursor ? ` cursor cursor-${cursorKind}` : ''}`}
              data-strike={r.strike}
              onClick={(e) => {
                const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
                setCursor(r.strike, e.clientX < rect.left + rect.width / 2 ? 'call' : 'put');
              }}
            >
              <span className={`side call${itmCall ? ' itm' : ''}`}>
                <SideCells c={r.call} values={values} unit={unit} side="call" cols={cols} />
              </span>
              <span className="strike" role="rowheader">
                {formatFixed(r.strike, r.strike < 10 ? 2 : 0)}
                {r.strike === atm ? <em className="atm-tag">ATM</em> : null}
              </span>
              <span className={`side put${!itmCall ? ' itm' : ''}`}>
                <SideCells c={r.put} values={values} unit={unit} side="put" cols={cols} />
              </span>
            </div>
          );
        })}
        <div style={{ height: (rows.length - last) * ROW_H }} />
      </div>
    </div>
  );
}
