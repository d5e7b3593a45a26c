import { describe, expect, it } from 'vitest';
import { priceOption } from '../../../electron/engine/pricing/black.ts';
import { allocateChain, priceChain, ROW_INVALID, ROW_OK } from '../../../electron/engine/pricing/chain.ts';

describe('chain pricing in typed arrays', () => {
  it('matches the scalar pricer row by row and flags bad rows without NaN', () => {
    const n = 50;
    const { inputs, outputs } = allocateChain(n);
    for (let i = 0; i < n; i++) {
      inputs.kind[i] = i % 2 ? 1 : -1;
      inputs.spot[i] = 60_000;
      inputs.strike[i] = 40_000 + i * 1000;
      inputs.time[i] = (1 + (i % 5) * 20) / 365;
      inputs.rate[i] = 0;
      inputs.carry[i] = 0;
      inputs.vol[i] = 0.4 + (i % 7) * 0.05;
    }
    inputs.vol[7] = Number.NaN;
    inputs.strike[8] = -1;
    inputs.kind[9] = 0;
    priceChain(n, inputs, outputs);
    for (let i = 0; i < n; i++) {
      for (const k of ['price', 'delta', 'gamma', 'vega', 'theta', 'rho'] as const) expect(Number.isFinite(outputs[k][i])).toBe(true);
      if ([7, 8, 9].includes(i)) {
        expect(outputs.status[i]).toBe(ROW_INVALID);
        continue;
      }
      expect(outputs.status[i]).toBe(ROW_OK);
      const r = priceOption({ kind: inputs.kind[i] === 1 ? 'call' : 'put', spot: 60_000, strike: inputs.strike[i]!, time: inputs.time[i]!, rate: 0, carry: 0, vol: inputs.vol[i]! });
      expect(r.ok && r.value.price).toBe(outputs.price[i]);
      expect(r.ok && r.value.vega).toBe(outputs.vega[i]);
    }
  });
});
