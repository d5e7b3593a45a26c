import { priceOption } from './electron/engine/pricing/black.ts';
import { impliedVol } from './electron/engine/pricing/implied-vol.ts';
let seed = 12345; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const bad: string[] = [];
for (let i = 0; i < 200000; i++) {
  const T = Math.exp(Math.log(1e-6) + rnd() * Math.log(10 / 1e-6));
  const sig = Math.exp(Math.log(0.01) + rnd() * Math.log(5 / 0.01));
  const z = (rnd() * 2 - 1) * 12;
  const F = 100, K = F * Math.exp(z * sig * Math.sqrt(T));
  const kind = rnd() < 0.5 ? 'call' : 'put';
  const p = priceOption({ kind, spot: F, strike: K, time: T, rate: 0, carry: 0, vol: sig });
  if (!p.ok) throw new Error('x');
  const price = p.value.price;
  const intr = Math.max(kind === 'call' ? F - K : K - F, 0);
  if (price < 1e-290 || (price - intr) < 1e-6 * price) continue;
  const r = impliedVol({ kind, price, forward: F, strike: K, time: T });
  if (r.status === "ok" && (r.iterations > 12 || Math.abs(r.vol/sig-1) > 1e-13)) bad.push(`${r.iterations} x=${Math.log(F/K)} s=${sig*Math.sqrt(T)} z=${z.toFixed(2)} ${kind} err=${(r.vol/sig-1).toExponential(1)}`);
}
console.log(bad.length); console.log(bad.slice(0, 25).join('\n'));
