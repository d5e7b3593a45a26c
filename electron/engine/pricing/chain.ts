import { emptyGreeks, firstOrderInto } from './black.ts';

/**
 * A whole chain priced in typed arrays: inputs in, price and the five first-order Greeks out, no allocation
 * per option (one scratch object per call). Rows failing validation get status INVALID and zero
 * outputs, never NaN.
 */
export interface ChainInputs {
  /** +1 call, −1 put. */
  kind: Int8Array;
  spot: Float64Array;
  strike: Float64Array;
  time: Float64Array;
  rate: Float64Array;
  carry: Float64Array;
  vol: Float64Array;
}

export interface ChainOutputs {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  /** Per 1.00 of vol. */
  vega: Float64Array;
  /** Per year of calendar time. */
  theta: Float64Array;
  /** Per 1.00 of rate, carry held. */
  rho: Float64Array;
  status: Uint8Array;
}

export const ROW_OK = 0;
export const ROW_INVALID = 1;

export function allocateChain(n: number): { inputs: ChainInputs; outputs: ChainOutputs } {
  return {
    inputs: {
      kind: new Int8Array(n),
      spot: new Float64Array(n),
      strike: new Float64Array(n),
      time: new Float64Array(n),
      rate: new Float64Array(n),
      carry: new Float64Array(n),
      vol: new Float64Array(n),
    },
    outputs: {
      price: new Float64Array(n),
      delta: new Float64Array(n),
      gamma: new Float64Array(n),
      vega: new Float64Array(n),
      theta: new Float64Array(n),
      rho: new Float64Array(n),
      status: new Uint8Array(n),
    },
  };
}

const scratch = emptyGreeks();

export function priceChain(n: number, inp: ChainInputs, out: ChainOutputs): void {
  for (let i = 0; i < n; i++) {
    const kind = inp.kind[i]!;
    const S = inp.spot[i]!;
    const K = inp.strike[i]!;
    const T = inp.time[i]!;
    const r = inp.rate[i]!;
    const b = inp.carry[i]!;
    const v = inp.vol[i]!;
    // Written so NaN fails every comparison and lands in the invalid branch.
    if (!((kind === 1 || kind === -1) && S > 0 && K > 0 && T >= 0 && v >= 0 && S < Infinity && K < Infinity && T < Infinity && v < Infinity && Number.isFinite(r) && Number.isFinite(b))) {
      out.status[i] = ROW_INVALID;
      out.price[i] = out.delta[i] = out.gamma[i] = out.vega[i] = out.theta[i] = out.rho[i] = 0;
      continue;
    }
    firstOrderInto(kind, S, K, T, r, b, v, scratch);
    out.status[i] = ROW_OK;
    out.price[i] = scratch.price;
    out.delta[i] = scratch.delta;
    out.gamma[i] = scratch.gamma;
    out.vega[i] = scratch.vega;
    out.theta[i] = scratch.theta;
    out.rho[i] = scratch.rho;
  }
}
