import { TIMEFRAME_MS, type Candle, type Timeframe, type Trade } from '../../../shared/domain/market.ts';

const MAX_BARS = 5000;

/**
 * Candles per instrument and timeframe: history from the venue, then extended by live trades.
 * A series exists only once its history has been asked for; trades for other series are not kept.
 */
export class CandleStore {
  private readonly series = new Map<string, Candle[]>();
  private readonly dirty = new Map<string, { instrumentId: string; timeframe: Timeframe; candle: Candle }>();

  has(instrumentId: string, timeframe: Timeframe): boolean {
    return this.series.has(key(instrumentId, timeframe));
  }

  get(instrumentId: string, timeframe: Timeframe): Candle[] {
    return this.series.get(key(instrumentId, timeframe)) ?? [];
  }

  /**
   * Installs venue history. The last venue bar is merged with what live trades already built for
   * the same bucket, keeping the wider high/low, so a trade that arrived while the history was
   * in flight is not lost.
   */
  load(instrumentId: string, timeframe: Timeframe, history: Candle[]): void {
    const k = key(instrumentId, timeframe);
    const live = this.series.get(k) ?? [];
    const bars = history.slice(-MAX_BARS).map((c) => ({ ...c }));
    const lastTime = bars[bars.length - 1]?.time ?? -Infinity;
    for (const bar of live) {
      if (bar.time > lastTime) bars.push(bar);
      else if (bar.time === lastTime) {
        const b = bars[bars.length - 1]!;
        b.high = Math.max(b.high, bar.high);
        b.low = Math.min(b.low, bar.low);
        b.close = bar.close;
      }
    }
    this.series.set(k, bars);
  }

  /** Ensures a series exists so trades extend it before history arrives. */
  open(instrumentId: string, timeframe: Timeframe): void {
    const k = key(instrumentId, timeframe);
    if (!this.series.has(k)) this.series.set(k, []);
  }

  applyTrade(trade: Trade): void {
    for (const [k, bars] of this.series) {
      const [instrumentId, tf] = split(k);
      if (instrumentId !== trade.instrumentId) continue;
      const width = TIMEFRAME_MS[tf];
      const bucket = Math.floor(trade.time / width) * width;
      const last = bars[bars.length - 1];
      let bar: Candle;
      if (last && last.time === bucket) {
        bar = last;
        bar.high = Math.max(bar.high, trade.price);
        bar.low = Math.min(bar.low, trade.price);
        bar.close = trade.price;
        bar.volume += trade.size;
      } else if (!last || bucket > last.time) {
        bar = { time: bucket, open: trade.price, high: trade.price, low: trade.price, close: trade.price, volume: trade.size };
        bars.push(bar);
        if (bars.length > MAX_BARS) bars.splice(0, bars.length - MAX_BARS);
      } else {
        continue; // a late trade for a closed bar: the venue's history already counts it
      }
      this.dirty.set(k, { instrumentId, timeframe: tf, candle: bar });
    }
  }

  /** Latest bar per series changed since the last call. */
  takeDirty(): { instrumentId: string; timeframe: Timeframe; candle: Candle }[] {
    const out = [...this.dirty.values()].map((d) => ({ ...d, candle: { ...d.candle } }));
    this.dirty.clear();
    return out;
  }
}

function key(instrumentId: string, timeframe: Timeframe): string {
  return `${instrumentId}|${timeframe}`;
}

function split(k: string): [string, Timeframe] {
  const i = k.lastIndexOf('|');
  return [k.slice(0, i), k.slice(i + 1) as Timeframe];
}
