import { useEffect, useRef } from 'react';
import { createOptionsChart, LineSeries, LineStyle, type DeepPartial, type IChartApiBase, type ISeriesApi, type PriceChartOptions } from 'lightweight-charts';
import type { SmileSlice } from '../../../../shared/domain/options.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { COLORS } from '../../app/theme.ts';
import { CHART_THEME, padded, QUIET_CROSSHAIR } from '../chart/chart-theme.ts';
import { useOptionsStore } from '../../stores/options-store.ts';
import { expiryLabel, type StrikeRow } from './chain-model.ts';
import { smileSeries, termStructure } from './smile-data.ts';

const REDRAW_MS = 250;

type Line = ISeriesApi<'Line', number>;

function baseChart(el: HTMLElement, xLabel: (x: number) => string): IChartApiBase<number> {
  return createOptionsChart(el, {
    ...CHART_THEME,
    // No fixLeftEdge/fixRightEdge: lightweight-charts can throw "Value is null" from that path while
    // data is set (tradingview/lightweight-charts#821, #2044). The content is fitted explicitly,
    // with blank room at both ends (padded) so the first and last axis labels are not cut.
    timeScale: { borderColor: COLORS.border },
    localization: { priceFormatter: (v: number) => `${formatFixed(v, 1)} %`, precision: 0, timeFormatter: xLabel },
    crosshair: QUIET_CROSSHAIR,
  });
}

/** Strikes of 10,000 and up are drawn in thousands on the smile's axis. */
const strikeScale = (forward: number): number => (forward >= 10_000 ? 1000 : 1);

function points(color: string, radius: number): Parameters<IChartApiBase<number>['addSeries']>[1] {
  return { color, lineVisible: false, pointMarkersVisible: true, pointMarkersRadius: radius, lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false };
}

/** One expiry's smile: the joint SVI fit through Deribit's mark, bid and ask IVs and Derive's marks. */
export function SmileChart({ rows, slice, forward, expiry }: { rows: StrikeRow[]; slice: SmileSlice | undefined; forward: number; expiry: number | null }) {
  const host = useRef<HTMLDivElement>(null);
  const series = useRef<{ curve: Line; mark: Line; bid: Line; ask: Line; peerMark: Line } | null>(null);
  const chartRef = useRef<IChartApiBase<number> | null>(null);
  const lastDraw = useRef({ at: 0, rows: null as StrikeRow[] | null, slice: null as SmileSlice | null | undefined });
  const tick = useOptionsStore((s) => s.tick);
  const values = useOptionsStore((s) => s.values);
  const xScale = useRef(1);

  useEffect(() => {
    if (!host.current) return;
    // The axis can only print plain decimals: strikes of 10,000 and up are drawn in thousands
    // ("87.5" = 87,500; the header says so), which reads better than "87500" and never clips.
    const chart = baseChart(host.current, (x) => `strike ${formatFixed(x * xScale.current, 0)}`);
    chartRef.current = chart;
    series.current = {
      // No series title: the legend names the fit, and a title tag on the axis hid the wing points.
      curve: chart.addSeries(LineSeries, { color: COLORS.accent, lineWidth: 2, lastValueVisible: false, priceLineVisible: false }),
      bid: chart.addSeries(LineSeries, points(COLORS.buy, 2.5)),
      ask: chart.addSeries(LineSeries, points(COLORS.sell, 2.5)),
      mark: chart.addSeries(LineSeries, points(COLORS.text, 3.5)),
      peerMark: chart.addSeries(LineSeries, points(COLORS.peer, 3)),
    };
    return () => {
      series.current = null;
      chartRef.current = null;
      chart.remove();
    };
  }, []);

  useEffect(() => {
    const s = series.current;
    const now = performance.now();
    const last = lastDraw.current;
    // Quotes redraw a few times a second; a new expiry or a refit draws at once.
    if (!s || (last.rows === rows && last.slice === slice && now - last.at < REDRAW_MS)) return;
    const reframe = last.rows !== rows || (!last.slice && slice !== undefined);
    lastDraw.current = { at: now, rows, slice };
    const d = smileSeries(rows, values, slice, forward);
    const k = strikeScale(forward);
    if (k !== xScale.current) {
      xScale.current = k;
      const precision: DeepPartial<PriceChartOptions> = { localization: { precision: k === 1 ? 0 : 1 } };
      chartRef.current?.applyOptions(precision);
    }
    const scaled = <T extends { time: number }>(pts: T[]): T[] => (k === 1 ? pts : pts.map((p) => ({ ...p, time: p.time / k })));
    s.curve.setData(padded(scaled(d.curve)));
    s.mark.setData(scaled(d.mark));
    s.bid.setData(scaled(d.bid));
    s.ask.setData(scaled(d.ask));
    s.peerMark.setData(scaled(d.peerMark));
    // A new expiry, or the first fit, shows the whole smile; quote ticks keep the trader's zoom.
    if (reframe) chartRef.current?.timeScale().fitContent();
  }, [rows, values, slice, forward, tick]);

  return (
    <section className="panel smile" aria-label="Volatility smile">
      <header className="panel-header">
        <h2>
          IV smile <span className="muted">{expiry ? expiryLabel(expiry) : ''}{strikeScale(forward) === 1000 ? ' · strike $K' : ''}</span>
        </h2>
        <div className="legend">
          <span className="lg fit" title="SVI fitted to both venues' marks">fit</span>
          <span className="lg mark">mark</span>
          <span className="lg bid">bid</span>
          <span className="lg ask">ask</span>
          <span className="lg peer" title="Derive's mark IVs, against the same fit">Derive</span>
          {slice ? <span className="muted" title="Root-mean-square distance of both venues' mark IVs from the joint fit">rms {slice.rmsIvError * 100 < 0.01 ? '<0.01' : formatFixed(slice.rmsIvError * 100, 2)} vol pt</span> : <span className="muted">fitting…</span>}
        </div>
      </header>
      <div className="chart-host" ref={host} data-testid="smile-chart" data-fitted={slice ? 'yes' : 'no'} />
    </section>
  );
}

/** ATM implied vol across expiries, from the fitted surface. */
export function TermStructure({ slices, selected }: { slices: SmileSlice[]; selected: number | null }) {
  const host = useRef<HTMLDivElement>(null);
  const line = useRef<Line | null>(null);
  const termChart = useRef<IChartApiBase<number> | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const chart = baseChart(host.current, (x) => `${formatFixed(x, 1)} days`);
    termChart.current = chart;
    line.current = chart.addSeries(LineSeries, { color: COLORS.accent, lineWidth: 2, lineStyle: LineStyle.Solid, pointMarkersVisible: true, lastValueVisible: false, priceLineVisible: false });
    return () => {
      line.current = null;
      termChart.current = null;
      chart.remove();
    };
  }, []);

  useEffect(() => {
    const pts = termStructure(slices);
    line.current?.setData(padded(pts.map((p) => ({ time: Math.round(p.days * 10) / 10, value: p.iv, ...(p.expiry === selected ? { color: COLORS.warn } : {}) }))));
    termChart.current?.timeScale().fitContent();
  }, [slices, selected]);

  return (
    <section className="panel term" aria-label="ATM term structure">
      <header className="panel-header">
        <h2>
          Term structure <span className="muted">ATM IV % by days to expiry</span>
        </h2>
      </header>
      <div className="chart-host" ref={host} />
    </section>
  );
}
