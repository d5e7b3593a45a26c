import { z } from 'zod';
import { JOURNAL_KINDS } from '../domain/journal.ts';
import { ORDER_STATES } from '../domain/orders.ts';
import { venueIdSchema } from './schemas.ts';

/** An intent's id: the renderer makes one per order it means; sending it again is the same order. */
export const intentIdSchema = z.string().regex(/^[A-Za-z0-9:_-]{8,100}$/, 'expected an intent id of 8–100 letters, digits, ":", "_" or "-"');

const positive = z.number().finite().positive();

/**
 * A manual order, as the trader means it. `limit` null is a market order: an Ioc whose price is
 * capped `slippageBps` away from the mid (never an unbounded market order).
 */
export const orderPlaceSchema = z
  .object({
    intentId: intentIdSchema,
    venue: z.enum(['hyperliquid', 'deribit', 'derive']),
    /** Hyperliquid: the coin (BTC); Deribit and Derive: the instrument (BTC-27DEC26-100000-C, BTC-20261225-100000-C). */
    instrument: z.string().regex(/^[A-Z0-9]{1,12}(-[A-Z0-9]{1,12}){0,3}$/, 'expected a coin such as BTC or an instrument such as BTC-27DEC26-100000-C'),
    side: z.enum(['buy', 'sell']),
    size: positive.max(1e9),
    limit: positive.max(1e12).nullable(),
    slippageBps: z.number().int().min(1).max(500).default(50),
    tif: z.enum(['Gtc', 'Ioc', 'Alo']).default('Gtc'),
    reduceOnly: z.boolean().default(false),
  })
  .strict()
  .refine((o) => o.limit !== null || o.tif !== 'Alo', { message: 'a market order cannot be post-only (Alo)', path: ['tif'] })
  .refine((o) => o.venue !== 'deribit' || o.limit !== null, { message: 'a Deribit option order needs a limit (coin per contract)', path: ['limit'] })
  .refine((o) => o.venue !== 'derive' || o.limit !== null, { message: 'a Derive option order needs a limit (USDC per contract)', path: ['limit'] });

export const orderRowSchema = z.object({
  venue: venueIdSchema,
  intentId: z.string(),
  clientId: z.string(),
  venueOrderId: z.string().nullable(),
  instrument: z.string(),
  side: z.enum(['buy', 'sell']),
  size: z.number(),
  filled: z.number(),
  price: z.number(),
  avgPrice: z.number(),
  tif: z.enum(['Gtc', 'Ioc', 'Alo']),
  reduceOnly: z.boolean(),
  purpose: z.enum(['hedge', 'manual', 'flatten']),
  state: z.enum(ORDER_STATES),
  reason: z.string().nullable(),
  updatedAt: z.number(),
});

export const fillRowSchema = z.object({ venue: venueIdSchema, intentId: z.string(), clientId: z.string(), instrument: z.string(), side: z.enum(['buy', 'sell']), fillId: z.string(), size: z.number(), price: z.number(), at: z.number() });

export const ordersSnapshotSchema = z.object({
  orders: z.array(orderRowSchema),
  fills: z.array(fillRowSchema),
  gates: z.array(z.object({ venue: venueIdSchema, ready: z.boolean(), reason: z.string(), account: z.string().nullable().optional() })),
});

export const journalQuerySchema = z
  .object({
    kinds: z.array(z.enum(JOURNAL_KINDS)).max(JOURNAL_KINDS.length).default([]),
    /** Rows at or after / before these times, ms. */
    from: z.number().nullable().default(null),
    to: z.number().nullable().default(null),
    /** Text the row's body must contain (an instrument, an intent id, a reason). */
    text: z.string().max(100).default(''),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .strict();

export const journalRowSchema = z.object({ seq: z.number().int(), at: z.number(), kind: z.enum(JOURNAL_KINDS), body: z.string(), hash: z.string() });
export const journalPageSchema = z.object({ rows: z.array(journalRowSchema), total: z.number().int(), file: z.string().nullable(), damaged: z.string().nullable() });
