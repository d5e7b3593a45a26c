/** Typed failures instead of NaN: every pricing entry point validates its inputs with these. */
export type PricingErrorCode = 'invalid-input';

export interface PricingError {
  code: PricingErrorCode;
  field: string;
  message: string;
}

export type PricingResult<T> = { ok: true; value: T } | { ok: false; error: PricingError };

export function invalid(field: string, message: string): { ok: false; error: PricingError } {
  return { ok: false, error: { code: 'invalid-input', field, message: `${field}: ${message}` } };
}

/** Returns an error for the first field that is not a finite number within its bounds. */
export function checkFields(fields: [name: string, value: number, rule: 'positive' | 'nonNegative' | 'finite'][]): { ok: false; error: PricingError } | null {
  for (const [name, value, rule] of fields) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return invalid(name, `expected a finite number, got ${String(value)}`);
    if (rule === 'positive' && !(value > 0)) return invalid(name, `expected > 0, got ${value}`);
    if (rule === 'nonNegative' && !(value >= 0)) return invalid(name, `expected ≥ 0, got ${value}`);
  }
  return null;
}
