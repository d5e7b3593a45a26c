import { z } from 'zod';
import type { AccountSummary, OptionPositionDef } from '../../../shared/domain/portfolio.ts';
import { parseDeriveOptionName } from './instrument-name.ts';

/*
 * The subaccount as the portfolio sees it (`private/get_subaccount`): option positions, USDC-settled
 * (linear: premiums in USD per coin), and the subaccount's value. Derive's `initial_margin` and
 * `maintenance_margin` are *net* margin — the value less the requirement, below zero liquidated —
 * so the requirement the portfolio shows is the value less each; absent, they are not guessed.
 */
const dec = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string').transform(Number);
export const deriveSubaccount = z.object({
  subaccount_id: z.number().int().nonnegative(),
  subaccount_value: dec,
  cash_usdc: dec.optional(),
  initial_margin: dec.optional(),
  maintenance_margin: dec.optional(),
  positions: z.array(z.object({ instrument_name: z.string(), instrument_type: z.string(), amount: dec, average_price: dec }).loose()),
});
export type WireDeriveSubaccount = z.infer<typeof deriveSubaccount>;

/** The account is named by its owner wallet and subaccount id, as Derive shows it. */
export const deriveAccountName = (wallet: string, subaccountId: number): string => `${wallet.slice(0, 6)}…${wallet.slice(-4)}/${subaccountId}`;

/** `expiryOf`: the listed instrument's expiry; a name alone gives the day, and Derive's options expire at 08:00 UTC. */
export function normaliseDerivePositions(account: string, s: WireDeriveSubaccount, expiryOf: (name: string) => number | undefined): { positions: OptionPositionDef[]; skipped: string[] } {
  const positions: OptionPositionDef[] = [];
  const skipped: string[] = [];
  for (const p of s.positions) {
    if (p.amount === 0) continue;
    const o = p.instrument_type === 'option' ? parseDeriveOptionName(p.instrument_name) : null;
    if (!o) {
      skipped.push(`${p.instrument_name}: not an option this app prices`);
      continue;
    }
    positions.push({
      id: `derive:${account}:${p.instrument_name}`,
      source: 'derive',
      account,
      underlying: o.underlying,
      instrument: p.instrument_name,
      type: 'option',
      quantity: p.amount,
      kind: o.kind,
      strike: o.strike,
      expiry: expiryOf(p.instrument_name) ?? o.day + 8 * 3_600_000,
      settlement: 'linear',
      entryPremium: p.average_price,
    });
  }
  return { positions, skipped };
}

export function deriveAccountSummary(account: string, s: WireDeriveSubaccount, now: number): AccountSummary {
  const need = (net: number | undefined): number | null => (net === undefined ? null : s.subaccount_value - net);
  return { source: 'derive', account, equityUsd: s.subaccount_value, marginUsedUsd: need(s.initial_margin), maintenanceUsd: need(s.maintenance_margin), updatedAt: now, error: null };
}
