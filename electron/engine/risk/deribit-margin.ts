import { DERIBIT_PERP, isDeribitPerpCoin } from '../../../shared/domain/deribit-perp.ts';
import type { RiskInput } from '../../../shared/domain/portfolio.ts';
import { positionRisk } from './portfolio.ts';

/*
 * Deribit standard margin for an inverse book, in coin (venues-trading.md D14), and the underlying
 * price at which the account would be liquidated: where maintenance margin reaches equity, with
 * every option revalued there (Black-76 at its own vol, the forward moving with spot) and the
 * perpetuals' coin PnL. Deribit liquidates the account as a whole, so one price per currency
 * stands for every position in it. Pure: the portfolio desk passes the priced positions.
 *
 *   short call: MM = 0.075 + mark              IM = max(0.15 − OTM/U, 0.1) + mark
 *   short put:  MM = max(0.075, 0.075·mark) + mark   IM = max(max(0.15 − OTM/U, 0.1) + mark, MM)
 *   long options: none (the premium is paid)
 *   perpetual:  MM = c·(1 % + c·k), IM = c·(2 % + c·k), c = |USD| ÷ mark coins
 */

export interface DeribitLeg {
  input: RiskInput & { underlying: string };
}

export interface DeribitMargins {
  /** Equity, initial and maintenance margin at the price, coin. */
  equityCoin: number;
  initialCoin: number;
  maintenanceCoin: number;
}

const optionMaintenance = (kind: 'call' | 'put', mark: number): number => (kind === 'call' ? 0.075 + mark : Math.max(0.075, 0.075 * mark) + mark);

/** A short option's initial margin, coin per contract (mark in coin, the index at `u`). */
export function optionInitial(kind: 'call' | 'put', strike: number, u: number, mark: number): number {
  const otm = kind === 'call' ? Math.max(strike - u, 0) : Math.max(u - strike, 0);
  const im = Math.max(0.15 - otm / u, 0.1) + mark;
  return kind === 'call' ? im : Math.max(im, optionMaintenance(kind, mark));
}

/** An option's coin premium per contract with spot (and its forward) moved by `move`. */
type OptionInput = Extract<RiskInput, { type: 'option' }> & { underlying: string };

function coinMark(p: OptionInput, spot: number, now: number, move: number): number {
  const f0 = p.forward ?? spot;
  return positionRisk({ ...p, quantity: 1 }, { spot, forward: f0 }, now, { spot: move, volPoints: 0, days: 0 }).valueUsd / (f0 * (1 + move));
}

/** The options' coin marks now, once, for callers that ask `marginsAt` many times. */
export function coinMarksNow(legs: readonly DeribitLeg[], spot: number, now: number): number[] {
  return legs.map((l) => (l.input.type === 'option' ? coinMark({ ...l.input, underlying: l.input.underlying }, spot, now, 0) : 0));
}

/**
 * Equity and margins of the account at `move` (relative spot change, 0 = now), from its equity
 * now; `marksNow` are the options' coin marks now (computed once by the caller that asks often).
 */
export function marginsAt(legs: readonly DeribitLeg[], equityNowCoin: number, spot: number, now: number, move: number, marksNow: readonly number[] = coinMarksNow(legs, spot, now)): DeribitMargins {
  const u = spot * (1 + move);
  let equity = equityNowCoin;
  let im = 0;
  let mm = 0;
  for (const [i, { input: p }] of legs.entries()) {
    if (p.type === 'option') {
      const m0 = marksNow[i]!;
      const m = move === 0 ? m0 : coinMark({ ...p, underlying: p.underlying }, spot, now, move);
      // Inverse premiums are coin: the option's value change is the account's, in coin.
      equity += p.quantity * (m - m0);
      if (p.quantity < 0) {
        im += -p.quantity * optionInitial(p.kind, p.strike, u, m);
        mm += -p.quantity * optionMaintenance(p.kind, m);
      }
    } else if (p.type !== 'cash' && p.inverseUsd !== undefined && isDeribitPerpCoin(p.underlying)) {
      const m0 = p.mark ?? spot;
      const m = m0 * (1 + move);
      equity += p.inverseUsd * (1 / m0 - 1 / m);
      const coins = Math.abs(p.inverseUsd) / m;
      const k = DERIBIT_PERP[p.underlying].k;
      im += coins * (0.02 + coins * k);
      mm += coins * (0.01 + coins * k);
    }
  }
  return { equityCoin: equity, initialCoin: im, maintenanceCoin: mm };
}

const STEP = 0.02;

/**
 * The nearest underlying prices below and above spot at which maintenance margin reaches equity
 * (null: none within −90 % / +300 %), found on a 2 % grid and refined by bisection to 0.01 %.
 */
export function deribitLiquidation(legs: readonly DeribitLeg[], equityNowCoin: number, spot: number, now: number): { below: number | null; above: number | null } {
  const marksNow = coinMarksNow(legs, spot, now);
  const liquidates = (move: number): boolean => {
    const m = marginsAt(legs, equityNowCoin, spot, now, move, marksNow);
    return m.maintenanceCoin >= m.equityCoin;
  };
  if (!legs.some((l) => l.input.quantity < 0 || (l.input.type !== 'option' && l.input.type !== 'cash' && l.input.inverseUsd !== undefined)) || liquidates(0)) return { below: null, above: null };
  const find = (dir: 1 | -1, limit: number): number | null => {
    let safe = 0;
    for (let move = dir * STEP; Math.abs(move) <= limit + 1e-9; move += dir * STEP) {
      if (liquidates(move)) {
        let bad = move;
        for (let i = 0; i < 20 && Math.abs(bad - safe) > 1e-4; i++) {
          const mid = (safe + bad) / 2;
          if (liquidates(mid)) bad = mid;
          else safe = mid;
        }
        return spot * (1 + bad);
      }
      safe = move;
    }
    return null;
  };
  return { below: find(-1, 0.9), above: find(1, 3) };
}
