/*
 * Derive's standard margin (its "standard manager") for a subaccount of USDC and options, as the
 * venue's contracts compute it (docs/derive.md, "Margin"). Everything is USD. Derive reports the
 * result as *net* margin: the subaccount's cash plus, per expiry, the better of two requirements —
 * the sum of each short's isolated margin (its mark-to-market included) or the largest loss at
 * settlement — so a positive figure is headroom and below zero the subaccount is liquidated
 * (maintenance) or refuses new risk (initial). Long options carry no margin credit of their own:
 * they count only through the settlement loss they cap.
 *
 *   short call  MM = MtM − mmCallSpotReq·spot·|n|
 *               IM = MtM − max(maxSpotReq − OTM/spot, minSpotReq)·spot·|n|
 *   short put   MM = MtM − max(mmPutSpotReq·spot·|n|, MMPutMtMReq·|MtM|)
 *               IM = min(MtM − max(maxSpotReq − OTM/spot, minSpotReq)·spot·|n|, mmOffsetScale·MM)
 *   per expiry  max(Σ isolated, max loss at settlement over 0 and every strike
 *               − unpairedScale·forward·(calls sold beyond calls bought))
 *
 * Used by the simulator to send what the venue sends, and by previews to say what a Derive leg
 * adds; the engine shows the venue's own figures for what is held.
 */

export interface DeriveSrmParams {
  maxSpotReq: number;
  minSpotReq: number;
  mmCallSpotReq: number;
  mmPutSpotReq: number;
  mmPutMtmReq: number;
  unpairedImScale: number;
  unpairedMmScale: number;
  mmOffsetScale: number;
}

/** BTC and ETH options, as Derive's deployed standard-manager configuration sets them. */
export const DERIVE_SRM_OPTIONS: DeriveSrmParams = {
  maxSpotReq: 0.15,
  minSpotReq: 0.13,
  mmCallSpotReq: 0.09,
  mmPutSpotReq: 0.09,
  mmPutMtmReq: 0.09,
  unpairedImScale: 1.2,
  unpairedMmScale: 1.1,
  mmOffsetScale: 1.05,
};

export interface DeriveSrmOption {
  /** Its market (BTC, ETH): only options of one market and expiry offset each other. */
  market: string;
  kind: 'call' | 'put';
  strike: number;
  /** ms since epoch. */
  expiry: number;
  /** Contracts, signed (short < 0). */
  amount: number;
  /** The venue's mark, USD per contract. */
  mark: number;
  /** The market's index and the expiry's forward, USD. */
  spot: number;
  forward: number;
}

/** One short's isolated margin, USD (≤ 0: what it asks of the subaccount, its MtM included). */
function isolated(o: DeriveSrmOption, initial: boolean, p: DeriveSrmParams): number {
  const spot = o.spot;
  const mtm = o.mark * o.amount;
  if (o.amount >= 0) return 0;
  const n = o.amount;
  const otm = o.kind === 'call' ? Math.max(o.strike - spot, 0) / spot : Math.max(spot - o.strike, 0) / spot;
  const imMult = Math.max(p.maxSpotReq - otm, p.minSpotReq) * spot;
  if (o.kind === 'call') return mtm + (initial ? imMult : p.mmCallSpotReq * spot) * n;
  const mm = Math.min(p.mmPutSpotReq * spot * n, p.mmPutMtmReq * mtm) + mtm;
  return initial ? Math.min(imMult * n + mtm, mm * p.mmOffsetScale) : mm;
}

/** Settlement value of the expiry's options at `price`, USD. */
function payoff(options: readonly DeriveSrmOption[], price: number): number {
  let v = 0;
  for (const o of options) v += o.amount * (o.kind === 'call' ? Math.max(price - o.strike, 0) : Math.max(o.strike - price, 0));
  return v;
}

function expiryMargin(options: readonly DeriveSrmOption[], initial: boolean, p: DeriveSrmParams): number {
  let sum = 0;
  let maxLoss = Math.min(payoff(options, 0), 0);
  let netCalls = 0;
  for (const o of options) {
    sum += isolated(o, initial, p);
    maxLoss = Math.min(maxLoss, Math.min(payoff(options, o.strike), 0));
    if (o.kind === 'call') netCalls += o.amount;
  }
  // Calls sold beyond those bought lose without bound above the last strike.
  if (netCalls < 0) maxLoss += (initial ? p.unpairedImScale : p.unpairedMmScale) * options[0]!.forward * netCalls;
  return Math.max(sum, maxLoss);
}

export interface DeriveMargins {
  /** Cash plus every option at its mark, USD: Derive's `subaccount_value`. */
  valueUsd: number;
  /** Net margin, USD: Derive's `initial_margin` and `maintenance_margin` (below zero: no new risk / liquidation). */
  initialNetUsd: number;
  maintenanceNetUsd: number;
}

export function deriveStandardMargins(cashUsd: number, options: readonly DeriveSrmOption[], p: DeriveSrmParams = DERIVE_SRM_OPTIONS): DeriveMargins {
  const byExpiry = new Map<string, DeriveSrmOption[]>();
  let value = cashUsd;
  for (const o of options) {
    if (o.amount === 0) continue;
    value += o.mark * o.amount;
    const key = `${o.market}|${o.expiry}`;
    const list = byExpiry.get(key);
    if (list) list.push(o);
    else byExpiry.set(key, [o]);
  }
  let im = cashUsd;
  let mm = cashUsd;
  for (const list of byExpiry.values()) {
    im += expiryMargin(list, true, p);
    mm += expiryMargin(list, false, p);
  }
  return { valueUsd: value, initialNetUsd: im, maintenanceNetUsd: mm };
}

/** What `options` ask of a subaccount beyond their value, USD (initial, maintenance): value less net margin, with no cash. */
export function deriveRequirement(options: readonly DeriveSrmOption[], p: DeriveSrmParams = DERIVE_SRM_OPTIONS): { initialUsd: number; maintenanceUsd: number } {
  const m = deriveStandardMargins(0, options, p);
  return { initialUsd: m.valueUsd - m.initialNetUsd, maintenanceUsd: m.valueUsd - m.maintenanceNetUsd };
}
