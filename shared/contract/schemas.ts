import { z } from 'zod';
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
