import { useEffect, useRef, useState } from 'react';
import { createOptionsChart, createSeriesMarkers, LineSeries, LineStyle, type IChartApiBase, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker } from 'lightweight-charts';
import type { LadderSnapshot } from '../../../../shared/domain/portfolio.ts';
import { formatCompact, formatFixed } from '../../../../shared/format/numbers.ts';
import { COLORS } from '../../app/theme.ts';
import { CHART_THEME, padded, QUIET_CROSSHAIR } from '../chart/chart-theme.ts';

const REDRAW_MS = 250;

/** Nearest payoff x to a price, so a marker lands on a point the series has. */
function snap(prices: Float64Array, x: number): number | null {
  if (!(x >= prices[0]! && x <= prices[prices.length - 1]!)) return null;
  let best = 0;
  for (let i = 1; i < prices.length; i++) if (Math.abs(prices[i]! - x) < Math.abs(prices[best]! - x)) best = i;
  return prices[best]!;
}

/**
 * PnL against the underlying's price, today (with the ladder's days and vol shift) and at the first
 * option expiry, with spot and perp liquidation prices marked. lightweight-charts' options chart
 * gives a numeric price axis, so the same library as the other charts serves here.
 */
export function PayoffChart({ ladder, coin }: { ladder: LadderSnapshot; coin: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApiBase<number> | null>(null);
  const series = useRef<{ today: ISeriesApi<'Line', number>; expiry: ISeriesApi<'Line', number>; markers: ISeriesMarkersPluginApi<number> } | null>(null);
  const lastDraw = useRef({ at: 0, underlying: '' });
  // A skipped update is drawn when the window closes, so the last change is never left undrawn.
  const [, setRedraw] = useState(0);
  const trailing = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const c = createOptionsChart(host.current, {
      ...CHART_THEME,
      timeScale: { borderColor: COLORS.border },
      localization: { priceFormatter: (v: number) => `${v < 0 ? '−' : ''}$${formatCompact(Math.abs(v))}`, timeFormatter: (x: number) => `${formatFixed(x, 0)}` },
      crosshair: QUIET_CROSSHAIR,
    });
    const today = c.addSeries(LineSeries, { color: COLORS.accent, lineWidth: 2, lastValueVisible: false, priceLineVisible: false, title: 'today' });
    const expiry = c.addSeries(LineSeries, { color: COLORS.warn, lineWidth: 2, lineStyle: LineStyle.Dashed, lastValueVisible: false, priceLineVisible: false, title: 'at expiry' });
    today.createPriceLine({ price: 0, color: COLORS.muted, lineWidth: 1, lineStyle: LineStyle.Dotted, axisLabelVisible: false, title: '' });
    chart.current = c;
    series.current = { today, expiry, markers: createSeriesMarkers(today, []) };
    return () => {
      if (trailing.current) clearTimeout(trailing.current);
      series.current = null;
      chart.current = null;
      c.remove();
    };
  }, []);

  useEffect(() => {
    const s = series.current;
    if (!s) return;
    const now = performance.now();
    const changedUnderlying = lastDraw.current.underlying !== ladder.spec.underlying;
    // The payoff moves slowly; redrawing it at the ladder's frame rate would only cost CPU.
    if (!changedUnderlying && now - lastDraw.current.at < REDRAW_MS) {
      trailing.current ??= setTimeout(() => {
        trailing.current = null;
        setRedraw((n) => n + 1);
      }, REDRAW_MS);
      return;
    }
    lastDraw.current = { at: now, underlying: ladder.spec.underlying };
    const { prices, today, atExpiry, expiry } = ladder.payoff;
    // Blank room at both ends so the first and last price labels are not cut.
    s.today.setData(padded(Array.from(prices, (x, i) => ({ time: x, value: today[i]! }))));
    s.expiry.setData(expiry === null ? [] : Array.from(prices, (x, i) => ({ time: x, value: atExpiry[i]! })));
    const marks: SeriesMarker<number>[] = [];
    const spotX = snap(prices, ladder.spot);
    if (spotX !== null) marks.push({ time: spotX, position: 'aboveBar', shape: 'arrowDown', color: COLORS.text, text: `spot ${formatFixed(ladder.spot, 0)}` });
    for (const m of ladder.markers) {
      const x = snap(prices, m.price);
      if (x === null || m.kind === 'strike') continue;
      const call = m.kind === 'margin-call';
      marks.push({ time: x, position: 'belowBar', shape: 'arrowUp', color: call ? COLORS.warn : COLORS.sell, text: `${call ? 'call' : 'liq'} ${formatFixed(m.price, 0)}` });
    }
    s.markers.setMarkers(marks.sort((a, b) => a.time - b.time));
    if (changedUnderlying) chart.current?.timeScale().fitContent();
  });

  return (
    <section className="panel payoff" aria-label={`${coin} payoff`}>
      <div className="panel-header">
        <h2>
          Payoff <span className="muted">{coin} · PnL {ladder.numeraire === 'usd' ? '$' : coin} vs price</span>
        </h2>
        <span className="legend">
          <span className="swatch today" /> today{ladder.spec.days ? ` +${ladder.spec.days}d` : ''}
          {ladder.payoff.expiry !== null ? (
            <>
              <span className="swatch expiry" /> at {new Date(ladder.payoff.expiry).toISOString().slice(0, 10)} expiry
            </>
          ) : null}
        </span>
      </div>
      <div className="chart-host" ref={host} />
    </section>
  );
}
