import { z } from 'zod';
import { OPTION_UNDERLYINGS } from '../domain/options.ts';
import { TIMEFRAMES } from '../domain/market.ts';
import { CONNECTION_STATES, VENUE_IDS } from '../domain/venues.ts';

export const instrumentIdSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[a-z]+:[A-Za-z0-9._-]+$/, 'expected "<venue>:<symbol>"');

export const timeframeSchema = z.enum(TIMEFRAMES);
export const venueIdSchema = z.enum(VENUE_IDS);

export const instrumentSchema = z.object({
  id: instrumentIdSchema,
  venue: venueIdSchema,
  kind: z.literal('perp'),
  venueSymbol: z.string(),
  symbol: z.string(),
  base: z.string(),
  quote: z.string(),
  sizeDecimals: z.number().int().min(0).max(18),
  maxPriceDecimals: z.number().int().min(0).max(18),
  priceSigFigs: z.number().int().min(1).max(18),
  maxLeverage: z.number().positive(),
});

export const perpStatsSchema = z.object({
  instrumentId: z.string(),
  mark: z.number().positive(),
  index: z.number().positive(),
  indexLabel: z.enum(['oracle', 'index']),
  change24h: z.number().finite().nullable(),
  fundingPerHour: z.number().finite().nullable(),
  nextFundingAt: z.number().int().nullable(),
  openInterestCoin: z.number().nonnegative().nullable(),
  dayNotionalUsd: z.number().nonnegative().nullable(),
  at: z.number().int(),
});

export const candleSchema = z.object({
  time: z.number(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
});

export const venueStatusSchema = z.object({
  venue: venueIdSchema,
  state: z.enum(CONNECTION_STATES),
  paper: z.boolean(),
  detail: z.string(),
  since: z.number(),
  lastMessageAt: z.number().nullable(),
  attempt: z.number().int(),
});

export const appInfoSchema = z.object({
  name: z.literal('DeltaDesk'),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  mode: z.enum(['paper', 'live']),
});

/** A venue option name such as `BTC-27DEC24-100000-C` (letters, digits, `_`, `-`, `d` decimals). */
export const optionNameSchema = z.string().regex(/^[A-Z0-9_]{2,20}-[0-9]{1,2}[A-Z]{3}[0-9]{2}-[0-9d]{1,12}-[CP]$/, 'expected an option name like BTC-27DEC24-100000-C');

const contractTerms = {
  underlying: z.enum(OPTION_UNDERLYINGS),
  expiry: z.number().int(),
  strike: z.number().positive(),
  kind: z.enum(['call', 'put']),
  settlement: z.enum(['inverse', 'linear']),
};

export const optionContractSchema = z.object({
  row: z.number().int().nonnegative(),
  name: z.string(),
  ...contractTerms,
  tick: z.number().positive(),
  tickStepAbove: z.number().nullable(),
  tickAbove: z.number().nullable(),
  minTradeAmount: z.number().positive(),
  peer: z
    .object({
      venue: z.enum(VENUE_IDS),
      name: z.string(),
      ...contractTerms,
      tickUsd: z.number().positive(),
      amountStep: z.number().positive(),
      fee: z.object({ baseUsd: z.number().nonnegative(), rateOfIndex: z.number().nonnegative(), premiumCap: z.number().nonnegative() }),
    })
    .optional(),
});

export const optionChainSchema = z.object({ venue: z.literal('deribit'), contracts: z.array(optionContractSchema) });

const nullableNumber = z.number().nullable();

/** Read-only Deribit account view, in the venue's units (coin), beside nothing of ours yet. */
export const deribitAccountSchema = z.object({
  currency: z.string(),
  equity: z.number(),
  availableFunds: z.number(),
  initialMargin: z.number(),
  maintenanceMargin: z.number(),
  deltaTotal: nullableNumber,
  positions: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      size: z.number(),
      averagePrice: z.number(),
      markPrice: z.number(),
      floatingPnl: nullableNumber,
      delta: nullableNumber,
    }),
  ),
});

/** The Greeks ladder's layout for one underlying (see shared/domain/portfolio.ts LadderSpec). */
export const ladderLayoutSchema = z.object({
  step: z.number().positive().max(1e9),
  rows: z
    .number()
    .int()
    .min(5)
    .max(201)
    .refine((n) => n % 2 === 1, 'expected an odd number of rows'),
  volShift: z.number().min(-100).max(500),
  volStep: z.number().min(0).max(100),
  days: z.number().min(0).max(3650),
  includeWhatIf: z.boolean(),
});
export const underlyingSchema = z.string().regex(/^[A-Z0-9]{1,12}$/, 'expected a coin such as BTC');
export const ladderSpecSchema = ladderLayoutSchema.extend({ underlying: underlyingSchema });
export const evmAddressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x address of 40 hex digits');

/** A hypothetical position for the what-if ladder; never sent to a venue. */
export const whatIfSchema = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['perp', 'spot']), underlying: underlyingSchema, quantity: z.number().finite().refine((q) => q !== 0, 'must not be 0') }).strict(),
  z
    .object({
      type: z.literal('option'),
      underlying: underlyingSchema,
      quantity: z.number().finite().refine((q) => q !== 0, 'must not be 0'),
      kind: z.enum(['call', 'put']),
      strike: z.number().positive().finite(),
      expiry: z.number().int().positive(),
    })
    .strict(),
]);

const finiteNumber = z.number().refine(Number.isFinite, 'expected a finite number');
export const numeraireSchema = z.enum(['usd', 'coin']);
export const ladderInputsSchema = z.object({
  computedAt: z.number(),
  spec: ladderSpecSchema,
  spot: z.number(),
  numeraire: numeraireSchema,
  positions: z.array(
    z.union([
      z.object({ id: z.string(), type: z.enum(['perp', 'future', 'spot']), quantity: finiteNumber, entryPrice: finiteNumber, mark: finiteNumber, inverseUsd: finiteNumber.optional() }),
      z.object({ id: z.string(), type: z.literal('cash'), quantity: finiteNumber }),
      z.object({
        id: z.string(),
        type: z.literal('option'),
        quantity: finiteNumber,
        kind: z.enum(['call', 'put']),
        strike: finiteNumber,
        expiry: finiteNumber,
        settlement: z.enum(['inverse', 'linear']),
        vol: finiteNumber,
        forward: finiteNumber,
      }),
    ]),
  ),
});

export const csvImportResultSchema = z.object({ loaded: z.number().int(), errors: z.array(z.object({ line: z.number().int(), message: z.string() })) });
