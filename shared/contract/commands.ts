import { z } from 'zod';
import {
  appInfoSchema,
  candleSchema,
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
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandRequest<K extends CommandName> = z.input<(typeof COMMANDS)[K]['request']>;
export type CommandResponse<K extends CommandName> = z.output<(typeof COMMANDS)[K]['response']>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMANDS, name);
}
