import { PerpStatsBar } from './PerpStatsBar.tsx';
import { useEffect, useRef, useState } from 'react';
import {
  CandlestickSeries,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { priceDecimalsAt, type Instrument } from '../../../../shared/domain/instruments.ts';
import { TIMEFRAMES, type Candle } from '../../../../shared/domain/market.ts';
import { formatFixed } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';
import { onCandle } from '../../frame-loop/frame-loop.ts';
import { useMarketStore } from '../../stores/market-store.ts';
import { useViewStore } from '../../stores/view-store.ts';
import { COLORS } from '../../app/theme.ts';
import { CHART_THEME } from './chart-theme.ts';

function toBar(c: Candle) {
  return { time: (c.time / 1000) as UTCTimestamp, open: c.open, high: c.high, low: c.low, close: c.close };
}

function toVolume(c: Candle) {
  return { time: (c.time / 1000) as UTCTimestamp, value: c.volume, color: c.close >= c.open ? COLORS.buyFaint : COLORS.sellFaint };
}

export function CandleChart({ instrument }: { instrument: Instrument }) {
  const { timeframe, setTimeframe } = useViewStore();
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const candles = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volume = useRef<ISeriesApi<'Histogram'> | null>(null);
  const [status, setStatus] = useState<{ bars: number; error: string | null; loading: boolean }>({ bars: 0, error: null, loading: true });

  useEffect(() => {
    if (!host.current) return;
    const c = createChart(host.current, {
      ...CHART_THEME,
      timeScale: { borderColor: COLORS.border, timeVisible: true, secondsVisible: false, rightOffset: 4, maxBarSpacing: 48 },
      crosshair: { mode: 0 },
    });
    candles.current = c.addSeries(CandlestickSeries, {
      upColor: COLORS.buy,
      downColor: COLORS.sell,
      borderVisible: false,
      wickUpColor: COLORS.buy,
      wickDownColor: COLORS.sell,
    });
    volume.current = c.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    c.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = candles.current = volume.current = null;
    };
  }, []);

  // The axis shows the venue's price precision near spot (BTC: whole dollars, ETH: cents).
  const decimals = useMarketStore((s) => (s.mids[instrument.id] ? priceDecimalsAt(s.mids[instrument.id]!, instrument) : instrument.maxPriceDecimals));
  useEffect(() => {
    candles.current?.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove: 10 ** -decimals } });
    chart.current?.applyOptions({ localization: { priceFormatter: (p: number) => formatFixed(p, decimals) } });
  }, [decimals]);

  useEffect(() => {
    let cancelled = false;
    let lastTime = -Infinity;
    setStatus((s) => ({ ...s, loading: true, error: null }));
    const stop = onCandle((u) => {
      if (cancelled || u.instrumentId !== instrument.id || u.timeframe !== timeframe || u.candle.time < lastTime) return;
      lastTime = u.candle.time;
      candles.current?.update(toBar(u.candle));
      volume.current?.update(toVolume(u.candle));
    });
    call('market.candles', { instrumentId: instrument.id, timeframe }).then(
      (bars) => {
        if (cancelled) return;
        candles.current?.setData(bars.map(toBar));
        volume.current?.setData(bars.map(toVolume));
        lastTime = bars[bars.length - 1]?.time ?? -Infinity;
        // A short history (a coarse timeframe on a young market) fills the chart rather than
        // huddling at the right edge; a long one opens on the latest bars.
        if (bars.length < 120) chart.current?.timeScale().fitContent();
        else chart.current?.timeScale().scrollToRealTime();
        setStatus({ bars: bars.length, error: null, loading: false });
      },
      (err: Error) => !cancelled && setStatus({ bars: 0, error: err.message, loading: false }),
    );
    return () => {
      cancelled = true;
      stop();
    };
  }, [instrument, timeframe]);

  return (
    <section className="panel chart" aria-label="Price chart">
      <header className="panel-header">
        <h2>
          {instrument.symbol} <span className="muted">· trades · {timeframe}</span>
        </h2>
        <div className="controls" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((tf) => (
            <button key={tf} type="button" className={tf === timeframe ? 'toggle active' : 'toggle'} aria-pressed={tf === timeframe} onClick={(e) => {
                setTimeframe(tf);
                e.currentTarget.blur();
              }}>
              {tf}
            </button>
          ))}
        </div>
      </header>
      <PerpStatsBar instrument={instrument} />
      <div className="chart-host" ref={host} data-testid="chart" data-bars={status.bars} data-instrument={instrument.id} data-timeframe={timeframe} />
      {status.error && <div className="panel-error" role="alert">Chart history unavailable: {status.error}</div>}
    </section>
  );
}

