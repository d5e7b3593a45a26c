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
export const ERROR_CODES = ['invalid-request', 'unknown-command', 'forbidden', 'unavailable', 'internal', 'locked', 'refused', ...DEVICE_ERROR_CODES] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const ALL_CODES: ReadonlySet<string> = new Set(ERROR_CODES);
/** The codes an expected refusal (a locked vault, a budget limit, a Ledger state) keeps across a border. */
const REFUSAL_CODES: ReadonlySet<string> = new Set<ErrorCode>(['invalid-request', 'locked', 'refused', 'unavailable', ...DEVICE_ERROR_CODES]);

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && ALL_CODES.has(code);
}

/** The code of a thrown refusal that keeps its meaning, or null for anything unexpected. */
export function refusalCodeOf(err: unknown): ErrorCode | null {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && REFUSAL_CODES.has(code) ? (code as ErrorCode) : null;
}

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
