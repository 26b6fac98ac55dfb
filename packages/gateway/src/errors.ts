/**
 * The gateway's domain errors: what went wrong, as a machine-readable `code` and a human message,
 * without any idea of HTTP. The store, the rating rules and the providers' parsers raise them; the
 * HTTP edge (`http.ts`, {@link httpStatusOf}) maps each kind to a status and `{error: {code, message}}`.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type DomainErrorKind = 'invalid' | 'unauthenticated' | 'not_found' | 'conflict' | 'invalid_state' | 'unprocessable';

/** Input that breaks a rule (a field, a header): `INVALID_FIELD`, `MALFORMED_JSON`, `IDEMPOTENCY_KEY_REQUIRED`. */
export class InvalidInput extends DomainError {
  override name = 'InvalidInput';
  readonly kind = 'invalid';
}

/** A credential that is missing or wrong: an API key, a screen key, a signature, a survey token. */
export class Unauthenticated extends DomainError {
  override name = 'Unauthenticated';
  readonly kind = 'unauthenticated';
}

/** No such thing (a payment, a provider). */
export class NotFound extends DomainError {
  override name = 'NotFound';
  readonly kind = 'not_found';
  constructor(message: string, code = 'NOT_FOUND') {
    super(code, message);
  }
}

/** The request collides with what exists: another open payment for the dossier, a second rating. */
export class Conflict extends DomainError {
  override name = 'Conflict';
  readonly kind = 'conflict';
}

/** The thing exists but its state forbids the change (a paid payment cannot be cancelled). */
export class InvalidState extends DomainError {
  override name = 'InvalidState';
  readonly kind = 'invalid_state';
}

/** Well-formed but refused as a whole (an idempotency key reused with another body). */
export class Unprocessable extends DomainError {
  override name = 'Unprocessable';
  readonly kind = 'unprocessable';
}

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  unprocessable: 422,
};

/** The HTTP status a domain error is answered with. */
export const httpStatusOf = (error: DomainError): number => STATUS[error.kind];
