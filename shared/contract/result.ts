/**
 * Commands answer with a result instead of throwing, because Electron's invoke keeps only an
 * Error's message across the border, and the browser bridge keeps nothing.
 */
/**
 * What a Ledger said, by name, so the screen can say "rejected on the device" or "unlock it"
 * instead of a generic failure.
 */
export const DEVICE_ERROR_CODES = ['ledger-disconnected', 'ledger-locked', 'ledger-app-not-open', 'ledger-blind-signing-off', 'ledger-rejected', 'ledger-timed-out', 'ledger-busy', 'ledger-error'] as const;
export type DeviceErrorCode = (typeof DEVICE_ERROR_CODES)[number];

/** `locked`: the vault must be unlocked first; `refused`: a safety rule (budget, throttle) said no. */
export type ErrorCode = 'invalid-request' | 'unknown-command' | 'forbidden' | 'unavailable' | 'internal' | 'locked' | 'refused' | DeviceErrorCode;

export interface CommandError {
  code: ErrorCode;
  message: string;
}

export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: CommandError };

export class TerminalError extends Error {
  override name = 'TerminalError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function ok<T>(value: T): CommandResult<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): CommandResult<never> {
  return { ok: false, error: { code, message } };
}
