import type { z } from 'zod';
import { COMMANDS, type CommandName } from '../../shared/contract/commands.ts';
import { fail, refusalCodeOf, type CommandResult } from '../../shared/contract/result.ts';
import { describeCommand } from '../../shared/contract/command-words.ts';
import { validateRequest, validateResponse } from '../../shared/contract/validate.ts';

type HostCommand = { [K in CommandName]: (typeof COMMANDS)[K]['handledBy'] extends 'host' ? K : never }[CommandName];

/** Host commands get their payload already validated against the command's schema. */
export type HostHandlers = {
  [K in HostCommand]: (payload: z.output<(typeof COMMANDS)[K]['request']>) => unknown;
};

/**
 * The border's one entry point for commands, shared by Electron main and the headless host so
 * both apply exactly the same rules: validate the request, answer host commands here, forward
 * the rest to the engine, validate the answer on the way back.
 */
export function createCommandRouter(
  host: HostHandlers,
  engine: (name: CommandName, payload: unknown) => Promise<CommandResult<unknown>>,
): (name: unknown, payload: unknown) => Promise<CommandResult<unknown>> {
  return async (name, payload) => {
    let command: CommandName | null = null;
    try {
      // Validation runs inside the try: no input, however deep or large, can throw past the border.
      const req = validateRequest(name, payload);
      if (!req.ok) return req;
      command = req.value.name;
      const body = req.value.payload;
      if (COMMANDS[command].handledBy === 'host') {
        const handler = host[command as HostCommand] as (payload: unknown) => unknown;
        return validateResponse(command, await handler(body));
      }
      const result = await engine(command, body);
      return result.ok ? validateResponse(command, result.value) : result;
    } catch (err) {
      // Expected refusals (a locked vault, a budget limit, a Ledger state) carry their own code.
      return fail(refusalCodeOf(err) ?? 'internal', internalMessage(command, err));
    }
  };
}

/**
 * A refusal keeps its own words; an unexpected failure is named by what the trader asked for,
 * never by an internal command name, and a thrown non-Error (or a stack overflow) says so plainly.
 */
function internalMessage(command: CommandName | null, err: unknown): string {
  const message = err instanceof Error ? err.message : null;
  if (refusalCodeOf(err)) return message ?? 'refused';
  const what = command ? describeCommand(command) : 'the request';
  return message && !(err instanceof RangeError) ? `${what} failed: ${message}` : `${what} failed unexpectedly; nothing was changed`;
}

/**
 * Calls a router so that neither a throw nor a rejection can escape: both become `internal`.
 * Both hosts answer through it (the WebSocket bridge and Electron's IPC handler).
 */
export function safeRoute(route: (name: unknown, payload: unknown) => Promise<CommandResult<unknown>>, name: unknown, payload: unknown): Promise<CommandResult<unknown>> {
  const unexpected = (): CommandResult<unknown> => fail('internal', 'the request failed unexpectedly; nothing was changed');
  try {
    return Promise.resolve(route(name, payload)).catch(unexpected);
  } catch {
    return Promise.resolve(unexpected());
  }
}

/** Envelope every transport carries: `{ name, payload }`. */
export function splitEnvelope(message: unknown): { name: unknown; payload: unknown } | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const m = message as Record<string, unknown>;
  return { name: m.name, payload: m.payload };
}
