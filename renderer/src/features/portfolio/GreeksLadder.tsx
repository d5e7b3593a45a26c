import { useEffect, useLayoutEffect, useRef } from 'react';
import { latencyProbeEnabled, latencySeries } from '../orderbook/latency-probe.ts';
import type { LadderSnapshot } from '../../../../shared/domain/portfolio.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { useViewStore } from '../../stores/view-store.ts';
import { cellValue, columnScale, COLUMNS, formatCell, formatMarginUse, formatPrice, marginHint, marginLevel, markerRows, spotRow, withSpec } from './ladder-model.ts';
import { useKeyHint } from '../../hotkeys/key-hint.ts';
import { NumeraireSwitch } from './NumeraireSwitch.tsx';
import { currentSpec, setLadderSpec } from './portfolio-keys.ts';

/** With `?latency=1`: engine compute → ladder on screen, and React's render time per ladder update. */
const recordLadderLatency = latencySeries('__deltadeskLadderLatency');
const recordLadderRender = latencySeries('__deltadeskLadderRender');

function shade(value: number, scale: number): string | undefined {
  if (!(scale > 0) || !Number.isFinite(value) || value === 0) return undefined;
  const a = 0.06 + 0.4 * Math.min(1, Math.abs(value) / scale);
  return value > 0 ? `rgba(46,189,133,${a.toFixed(3)})` : `rgba(246,70,93,${a.toFixed(3)})`;
}

function NumberControl({ label, value, step, min, max, title, onChange }: { label: string; value: number; step: number; min: number; max: number; title: string; onChange: (v: number) => void }) {
  return (
    <label className="control" title={title}>
      {label}
      <input
        type="number"
        className="num-input"
        value={value}
        step={step}
        min={min}
        max={max}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v) && v >= min && v <= max) onChange(v);
        }}
      />
    </label>
  );
}

/**
 * The Greeks ladder: portfolio PnL and Greeks at underlying prices around spot, under a vol shift and
 * days forward. The spot row is highlighted and tracks spot; perp liquidation prices are flagged on
 * the row they fall in; cells are shaded by value within their column.
 */
export function GreeksLadder({ ladder, coin }: { ladder: LadderSnapshot; coin: string }) {
  const renderStart = latencyProbeEnabled ? performance.now() : 0;
  const unit = ladder.numeraire;
  const stepKeys = useKeyHint('portfolio.coarserStep', 'portfolio.finerStep');
  const volKeys = useKeyHint('portfolio.volUp', 'portfolio.volDown');
  const dayKeys = useKeyHint('portfolio.daysForward', 'portfolio.daysBack');
  const whatIfKey = useKeyHint('portfolio.toggleWhatIf');
  const columns = useViewStore((s) => s.ladderColumns);
  const cursor = useViewStore((s) => s.ladderCursor);
  const toggleColumn = useViewStore((s) => s.toggleLadderColumn);
  const showMargins = useViewStore((s) => s.ladderMargins);
  const toggleMargins = useViewStore((s) => s.toggleLadderMargins);
  const body = useRef<HTMLDivElement>(null);
  const spec = ladder.spec;
  const spotAt = spotRow(ladder);
  const cursorAt = Math.max(0, Math.min(ladder.prices.length - 1, spotAt - cursor));
  const markers = markerRows(ladder);
  const shown = COLUMNS.filter((c) => columns.includes(c.field));
  const margins = showMargins ? ladder.margins : [];
  // Columns share the width down to their minimum; past that the table scrolls sideways (its rows
  // keep that minimum, so nothing is squeezed out of sight).
  const rowStyle = {
    gridTemplateColumns: `minmax(96px, 1.1fr) repeat(${shown.length}, minmax(72px, 1fr))${margins.length ? ` repeat(${margins.length}, minmax(108px, 1fr))` : ''}`,
    minWidth: `${96 + 72 * shown.length + 108 * margins.length}px`,
  };
  const scales = Object.fromEntries(shown.map((c) => [c.field, columnScale(ladder, c.field)]));
  const set = (change: Parameters<typeof withSpec>[1]): void => setLadderSpec(withSpec(currentSpec(spec)!, change));

  useEffect(() => {
    body.current?.querySelector('.ladder-row.cursor')?.scrollIntoView({ block: 'nearest' });
  }, [cursorAt, spec.underlying]);
  useEffect(() => {
    if (latencyProbeEnabled) recordLadderLatency(ladder.computedAt);
  }, [ladder]);
  // Render plus DOM commit of this component (React's Profiler reports nothing in production builds).
  useLayoutEffect(() => {
    if (latencyProbeEnabled) recordLadderRender(renderStart, performance.now());
  });

  return (
    <section className={`panel ladder${ladder.whatIfs > 0 && spec.includeWhatIf ? ' what-if' : ''}`} aria-label={`${coin} Greeks ladder`}>
      <div className="panel-header">
        <h2>
          Greeks ladder <span className="muted">{coin} · spot {formatFixed(ladder.spot, 2)}</span>
          {ladder.whatIfs > 0 && spec.includeWhatIf ? <span className="what-if-tag">incl. {ladder.whatIfs} what-if</span> : null}
        </h2>
        <NumeraireSwitch numeraire={unit} coin={coin} />
      </div>
      <div className="ladder-controls">
        <NumberControl label="Step $" value={spec.step} step={spec.step} min={0.0001} max={1e9} title={`Price step between rows, USD${stepKeys}`} onChange={(v) => set({ step: v })} />
        <NumberControl label="Rows" value={spec.rows} step={2} min={5} max={201} title="Rows in the ladder (odd)" onChange={(v) => set({ rows: v % 2 === 1 ? v : v + 1 })} />
        <NumberControl label="Vol shift pt" value={spec.volShift} step={1} min={-100} max={500} title={`Vol points added to every option${volKeys}`} onChange={(v) => set({ volShift: v })} />
        <NumberControl label="Vol step pt" value={spec.volStep} step={1} min={0} max={100} title="The vol− / vol+ columns sit this far either side of the shift" onChange={(v) => set({ volStep: v })} />
        <NumberControl label="Days fwd" value={spec.days} step={1} min={0} max={3650} title={`Calendar days forward${dayKeys}`} onChange={(v) => set({ days: v })} />
        <label className="control" title={`Include what-if positions${whatIfKey}`}>
          <input type="checkbox" checked={spec.includeWhatIf} onChange={(e) => set({ includeWhatIf: e.target.checked })} /> what-if
        </label>
      </div>
      <div className="ladder-columns-picker" role="group" aria-label="Ladder columns">
        {COLUMNS.map((c) => (
          <button key={c.field} className={`chip${columns.includes(c.field) ? ' on' : ''}`} onClick={() => toggleColumn(c.field)} title={c.hint} aria-pressed={columns.includes(c.field)}>
            {c.title(unit, coin)}
          </button>
        ))}
        <button className={`chip${showMargins ? ' on' : ''}`} onClick={toggleMargins} aria-pressed={showMargins} title="Each venue account's margin use at each price, %: maintenance ÷ equity (Aave: 1 ÷ health factor); 100 % is liquidation">
          Margin %{ladder.margins.length ? '' : ' (none)'}
        </button>
      </div>
      <div className="ladder-table" tabIndex={0} ref={body} data-computed-at={ladder.computedAt} data-underlying={spec.underlying}>
        <div className="ladder-row head" style={rowStyle}>
          <span className="price">Price $</span>
          {shown.map((c) => (
            <span key={c.field} title={c.hint}>
              {c.title(unit, coin)}
            </span>
          ))}
          {margins.map((m) => (
            <span key={`${m.source}:${m.account}:${m.label}`} className="margin-head" title={marginHint(m)}>
              <b>{m.label}</b>
              <small>margin %</small>
            </span>
          ))}
        </div>
        {Array.from(ladder.prices, (_, i) => {
          const mark = markers.get(i);
          return (
            <div
              key={i}
              className={`ladder-row${i === spotAt ? ' spot' : ''}${i === cursorAt ? ' cursor' : ''}${mark?.liquidation ? ' liq' : ''}${mark?.marginCall ? ' margin-call' : ''}`}
              data-row={i}
              style={rowStyle}
            >
              <span className="price" title={mark?.labels.join('\n')}>
                {mark?.liquidation ? <span className="liq-tag">LIQ</span> : null}
                {mark?.marginCall ? <span className="call-tag">CALL</span> : null}
                {formatPrice(ladder, i)}
              </span>
              {shown.map((c) => {
                const v = cellValue(ladder, c.field, i);
                return (
                  <span key={c.field} data-field={c.field} style={{ background: shade(v, scales[c.field]!) }}>
                    {formatCell(c.field, v, unit)}
                  </span>
                );
              })}
              {margins.map((m) => {
                const v = m.use[i]!;
                const level = marginLevel(v, m.callAt);
                return (
                  <span key={`${m.source}:${m.account}:${m.label}`} data-margin={m.label} className={`margin-use${level ? ` ${level}` : ''}`}>
                    {formatMarginUse(v)}
                  </span>
                );
              })}
            </div>
          );
        })}
      </div>
    </section>
  );
}
