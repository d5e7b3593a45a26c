import type { z } from 'zod';
import type { COMMANDS, CommandName, CommandResponse } from '../../../shared/contract/commands.ts';

/** The commands the engine answers (the host answers the rest). */
export type EngineCommand = { [K in CommandName]: (typeof COMMANDS)[K]['handledBy'] extends 'engine' ? K : never }[CommandName];

type Namespace<K extends string> = K extends `${infer N}.${string}` ? N : never;

/**
 * One namespace's handlers (market, options, portfolio, orders, …), typed like the host's: each
 * gets its payload already validated against the command's schema and must answer in its shape.
 */
export type EngineHandlers<N extends string> = {
  [K in EngineCommand as Namespace<K> extends N ? K : never]: (payload: z.output<(typeof COMMANDS)[K]['request']>) => Promise<CommandResponse<K>> | CommandResponse<K>;
};

export type AnyEngineHandler = (payload: unknown) => unknown;
