import type { z } from 'zod';
import { COMMANDS, isCommandName, type CommandName } from './commands.ts';
import { fail, ok, type CommandResult } from './result.ts';

/** Renders zod issues as `field.path: message` so the error names the field that failed. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(payload)'}: ${issue.message}`)
    .join('; ');
}

export interface ValidatedRequest<K extends CommandName = CommandName> {
  name: K;
  payload: z.output<(typeof COMMANDS)[K]['request']>;
}

/** Checks an untrusted `{ name, payload }` pair at a border. Never throws. */
export function validateRequest(name: unknown, payload: unknown): CommandResult<ValidatedRequest> {
  if (!isCommandName(name)) {
    return fail('unknown-command', `unknown command ${JSON.stringify(String(name).slice(0, 64))}`);
  }
  const parsed = COMMANDS[name].request.safeParse(payload ?? {});
  if (!parsed.success) return fail('invalid-request', `${name}: ${describeIssues(parsed.error)}`);
  const value: ValidatedRequest = { name, payload: parsed.data };
  return ok(value);
}

/** Checks an answer before it crosses back; a malformed answer is our bug, reported as internal. */
export function validateResponse(name: CommandName, value: unknown): CommandResult<unknown> {
  const parsed = COMMANDS[name].response.safeParse(value);
  if (!parsed.success) return fail('internal', `${name} answered malformed data: ${describeIssues(parsed.error)}`);
  return ok(parsed.data);
}
