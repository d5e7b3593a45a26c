import type { z } from 'zod';
import { COMMANDS, type CommandName } from '../../shared/contract/commands.ts';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
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
    const req = validateRequest(name, payload);
    if (!req.ok) return req;
    const { name: command, payload: body } = req.value;
    try {
      if (COMMANDS[command].handledBy === 'host') {
        const handler = host[command as HostCommand] as (payload: unknown) => unknown;
        return validateResponse(command, await handler(body));
      }
      const result = await engine(command, body);
      return result.ok ? validateResponse(command, result.value) : result;
    } catch (err) {
      // Expected refusals (a locked vault, a budget limit, a Ledger state) carry their own code.
      const code = (err as { code?: unknown }).code;
      if (code === 'invalid-request' || code === 'locked' || code === 'refused' || code === 'unavailable') return fail(code, (err as Error).message);
      return fail('internal', `${command}: ${(err as Error).message}`);
    }
  };
}

/** Envelope every transport carries: `{ name, payload }`. */
export function splitEnvelope(message: unknown): { name: unknown; payload: unknown } | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const m = message as Record<string, unknown>;
  return { name: m.name, payload: m.payload };
}
