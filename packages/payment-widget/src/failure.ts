import { VietQRError } from '@motcua/core';

/** What went wrong, as `<qr-payment>` shows it and reports it in `qr-payment-error`. */
export interface Failure {
  code: string;
  message: string;
  field?: string;
  /** A suggested fix shown under the error (the memo without diacritics). */
  hint?: string;
}

/** A bad attribute or property of `<qr-payment>`, with the field at fault. */
export class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Any thrown value as a {@link Failure}: its `code` when it has one, else `UNKNOWN`. */
export function toFailure(error: unknown): Failure {
  if (error instanceof InputError) {
    return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...(error.hint ? { hint: error.hint } : {}) };
  }
  if (error instanceof VietQRError) return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return { code: error.code, message: error.message };
  return { code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) };
}
