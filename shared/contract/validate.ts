import type { z } from 'zod';
import { COMMANDS, isCommandName, type CommandName } from './commands.ts';
import { describeCommand } from './command-words.ts';
import { fail, ok, type CommandResult } from './result.ts';

/** Renders zod issues as `field.path: message` so the error names the field that failed. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(payload)'}: ${issue.message}`)
    .join('; ');
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export interface ValidatedRequest<K extends CommandName = CommandName> {
  name: K;
  payload: z.output<(typeof COMMANDS)[K]['request']>;
}

/** Checks an untrusted `{ name, payload }` pair at a border. Never throws. */
export function validateRequest(name: unknown, payload: unknown): CommandResult<ValidatedRequest> {
  if (!isCommandName(name)) {
    // Never stringify what came in: a deeply nested array overflows the stack in String().
    return fail('unknown-command', typeof name === 'string' ? `unknown command ${JSON.stringify(name.slice(0, 64))}` : `command name: expected a string, got ${describeType(name)}`);
  }
  const parsed = COMMANDS[name].request.safeParse(payload ?? {});
  if (!parsed.success) return fail('invalid-request', describeIssues(parsed.error));
  const value: ValidatedRequest = { name, payload: parsed.data };
  return ok(value);
}

/** Checks an answer before it crosses back; a malformed answer is our bug, reported as internal. */
export function validateResponse(name: CommandName, value: unknown): CommandResult<unknown> {
  const parsed = COMMANDS[name].response.safeParse(value);
  if (!parsed.success) return fail('internal', `${describeCommand(name)} returned data DeltaDesk could not read (${describeIssues(parsed.error)}); nothing was changed`);
  return ok(parsed.data);
}
