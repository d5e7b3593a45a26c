import { z } from 'zod';
import { HEDGE_VENUES, type AutoHedgeConfig, type HedgeVenue } from '../../../shared/domain/hedge.ts';
import { autoHedgeConfigSchema } from '../../../shared/contract/hedge-schemas.ts';
import type { LadderSpec, Numeraire, PositionDef } from '../../../shared/domain/portfolio.ts';
import { evmAddressSchema, ladderLayoutSchema, numeraireSchema } from '../../../shared/contract/schemas.ts';
import { SettingsFile } from '../../storage/settings-file.ts';

/** What the portfolio keeps between sessions, in `portfolio.json` under the app's user-data folder. */
export interface PortfolioSettings {
  version: 1;
  /** Hyperliquid accounts to watch (master or sub-account addresses). */
  hyperliquidAddresses: string[];
  /** Positions from CSV imports, as parsed. */
  imported: PositionDef[];
  /** The trader's ladder layout per underlying. */
  ladders: Record<string, Omit<LadderSpec, 'underlying'>>;
  /** What PnL (and so every delta) is counted in; USD unless the trader chose the coin. */
  numeraire: Numeraire;
  /** Hedge-to-target per underlying: the delta (coins) and the perp venue. */
  hedgeTargets: Record<string, { delta: number; venue: HedgeVenue }>;
  /** The auto-hedgers' settings (a live one is restored off). */
  autoHedge: AutoHedgeConfig[];
}

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const base = { id: z.string().min(1), source: z.literal('import'), account: z.string(), underlying: z.string().min(1), instrument: z.string().min(1), quantity: finite };
const positionSchema = z.union([
  z.object({ ...base, type: z.enum(['perp', 'future', 'spot']), entryPrice: finite }),
  z.object({
    ...base,
    type: z.literal('option'),
    kind: z.enum(['call', 'put']),
    strike: z.number().positive(),
    expiry: z.number().int(),
    settlement: z.enum(['inverse', 'linear']),
    // JSON has no NaN: an unknown entry premium is stored as null.
    entryPremium: z.number().nullable().transform((v) => v ?? NaN),
    vol: z.number().positive().optional(),
  }),
]);

const settingsSchema = z.object({
  version: z.literal(1),
  hyperliquidAddresses: z.array(evmAddressSchema).max(50),
  imported: z.array(positionSchema).max(5000),
  ladders: z.record(z.string(), ladderLayoutSchema),
  // Files written before the numeraire was a choice counted PnL in USD.
  numeraire: numeraireSchema.default('usd'),
  hedgeTargets: z.record(z.string(), z.object({ delta: finite, venue: z.enum(HEDGE_VENUES) })).default({}),
  autoHedge: z.array(autoHedgeConfigSchema).max(50).default([]),
});

export function defaultSettings(paper: boolean, paperAddress: string | null): PortfolioSettings {
  return { version: 1, hyperliquidAddresses: paper && paperAddress ? [paperAddress] : [], imported: [], ladders: {}, numeraire: 'usd', hedgeTargets: {}, autoHedge: [] };
}

/** `portfolio.json` in the data folder. */
export function portfolioSettingsFile(dataDir: string | null): SettingsFile<PortfolioSettings> {
  return new SettingsFile(dataDir, 'portfolio.json', settingsSchema, 'Portfolio settings file');
}
