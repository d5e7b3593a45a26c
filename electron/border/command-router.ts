import { COMMANDS, type CommandName } from '../../shared/contract/commands.ts';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
import { validateRequest, validateResponse } from '../../shared/contract/validate.ts';

export type HostHandlers = {
  [K in CommandName as (typeof COMMANDS)[K]['handledBy'] extends 'host' ? K : never]: () => unknown;
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
        return validateResponse(command, await host[command as keyof HostHandlers]());
      }
      const result = await engine(command, body);
      return result.ok ? validateResponse(command, result.value) : result;
    } catch (err) {
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
