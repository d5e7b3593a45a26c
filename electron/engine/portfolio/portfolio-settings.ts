import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HEDGE_VENUES, type AutoHedgeConfig, type HedgeVenue } from '../../../shared/domain/hedge.ts';
import { autoHedgeConfigSchema } from '../../../shared/contract/hedge-schemas.ts';
import type { LadderSpec, Numeraire, PositionDef } from '../../../shared/domain/portfolio.ts';
import { evmAddressSchema, ladderLayoutSchema, numeraireSchema } from '../../../shared/contract/schemas.ts';
import { loadJsonFile, writeFileAtomic } from '../../storage/atomic-file.ts';

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

/**
 * Loads and saves the settings file. Saves are serialised and atomic (writeFileAtomic); a damaged
 * file is reported through `notice` and kept as a copy before anything new is written.
 */
export class SettingsFile {
  readonly file: string | null;
  private saving: Promise<void> = Promise.resolve();
  lastError: string | null = null;

  constructor(dataDir: string | null) {
    this.file = dataDir ? path.join(dataDir, 'portfolio.json') : null;
  }

  async load(defaults: PortfolioSettings): Promise<{ settings: PortfolioSettings; notice: string | null }> {
    if (!this.file) return { settings: defaults, notice: null };
    const loaded = await loadJsonFile(this.file, settingsSchema);
    switch (loaded.state) {
      case 'missing':
        return { settings: defaults, notice: null };
      case 'loaded':
        return { settings: loaded.value, notice: null };
      case 'damaged':
        return {
          settings: defaults,
          notice: `Portfolio settings file ${this.file} is damaged (${loaded.reason}). ${loaded.keptAs ? `A copy is kept as ${loaded.keptAs}. ` : ''}Starting from defaults; your next change will write a new file.`,
        };
    }
  }

  save(settings: PortfolioSettings): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const text = JSON.stringify(settings, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
    this.saving = this.saving.then(() =>
      mkdir(path.dirname(file), { recursive: true }).then(() => writeFileAtomic(file, text)).then(
        () => {
          this.lastError = null;
        },
        (err: Error) => {
          this.lastError = `could not save ${file}: ${err.message}`;
        },
      ),
    );
    return this.saving;
  }
}
