import { z } from 'zod';
import {
  appInfoSchema,
  candleSchema,
  csvImportResultSchema,
  evmAddressSchema,
  ladderInputsSchema,
  ladderSpecSchema,
  underlyingSchema,
  whatIfSchema,
  deribitAccountSchema,
  optionChainSchema,
  optionNameSchema,
  instrumentIdSchema,
  instrumentSchema,
  timeframeSchema,
  venueStatusSchema,
} from './schemas.ts';

/**
 * Every request the renderer may make, with the schema of its payload and of its answer.
 * `handledBy` says who answers: the host itself (main or the headless host) or the engine.
 * Adding a command here is the only way to widen the renderer's reach.
 */
export const COMMANDS = {
  'app.info': {
    handledBy: 'host',
    request: z.object({}).strict(),
    response: appInfoSchema,
  },
  /** The trader's keymap overrides (keymap.json in the user-data folder). */
  'app.keymap': {
    handledBy: 'host',
    request: z.object({}).strict(),
    response: z.object({ file: z.string().nullable(), bindings: z.record(z.string(), z.array(z.string())), errors: z.array(z.string()) }),
  },
  'market.instruments': {
    handledBy: 'engine',
    request: z.object({}).strict(),
    response: z.array(instrumentSchema),
  },
  'market.candles': {
    handledBy: 'engine',
    request: z.object({ instrumentId: instrumentIdSchema, timeframe: timeframeSchema }).strict(),
    response: z.array(candleSchema),
  },
  'venues.status': {
    handledBy: 'engine',
    request: z.object({}).strict(),
    response: z.array(venueStatusSchema),
  },
  'options.chain': {
    handledBy: 'engine',
    request: z.object({}).strict(),
    response: optionChainSchema,
  },
  /** The option whose order book the screen shows (null: none). Only that book is streamed. */
  'options.focus': {
    handledBy: 'engine',
    request: z.object({ name: optionNameSchema.nullable() }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  /** Deribit positions and account summary (read-only API key, or the paper account). */
  'options.account': {
    handledBy: 'engine',
    request: z.object({}).strict(),
    response: z.array(deribitAccountSchema),
  },
  /** Positions from a CSV file (docs/positions-csv.md); bad rows come back one error each. */
  'portfolio.import': {
    handledBy: 'engine',
    request: z.object({ csv: z.string().max(2_000_000, 'file larger than 2 MB'), fileName: z.string().min(1).max(200), replace: z.boolean() }).strict(),
    response: csvImportResultSchema,
  },
  /** Removes one imported position (by id), or all of them (null). */
  'portfolio.removeImported': {
    handledBy: 'engine',
    request: z.object({ id: z.string().max(300).nullable() }).strict(),
    response: z.object({ removed: z.number().int() }),
  },
  /** The Hyperliquid accounts to watch (master or sub-account addresses, never an agent's). */
  'portfolio.accounts': {
    handledBy: 'engine',
    request: z.object({ hyperliquidAddresses: z.array(evmAddressSchema).max(50) }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'portfolio.whatIf.add': {
    handledBy: 'engine',
    request: whatIfSchema,
    response: z.object({ id: z.string() }),
  },
  /** Removes one what-if position (by id), or all of them (null). */
  'portfolio.whatIf.remove': {
    handledBy: 'engine',
    request: z.object({ id: z.string().max(300).nullable() }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'portfolio.ladder': {
    handledBy: 'engine',
    request: ladderSpecSchema.strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  /** The exact inputs of a ladder the engine published, to recompute it independently. */
  'portfolio.ladderInputs': {
    handledBy: 'engine',
    request: z.object({ underlying: underlyingSchema, computedAt: z.number() }).strict(),
    response: ladderInputsSchema,
  },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandRequest<K extends CommandName> = z.input<(typeof COMMANDS)[K]['request']>;
export type CommandResponse<K extends CommandName> = z.output<(typeof COMMANDS)[K]['response']>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMANDS, name);
}
