/**
 * Every reason encoding or decoding a VietQR can fail:
 * - `BAD_CRC` — field 63 does not match the payload;
 * - `MALFORMED_TLV` — bad ID or length, a value running past the end, a repeated ID;
 * - `NOT_VIETQR` — a well-formed EMVCo QR that is not a NAPAS VietQR (e.g. VNPAY-QR);
 * - `INVALID_BIN` — the acquirer BIN is not 6 digits;
 * - `INVALID_ACCOUNT` — the account or card number is not 1–19 letters/digits;
 * - `INVALID_AMOUNT` — not a positive whole number of VND of at most 13 digits (a non-zero fraction included);
 * - `FIELD_TOO_LONG` — a text field over its limit (never truncated silently);
 * - `NOT_ASCII` — text outside printable ASCII (use toMemo for Vietnamese);
 * - `MISSING_FIELD` — a mandatory field is absent;
 * - `INVALID_FIELD` — a value the spec does not allow (currency, country, service code, merchant id, MCC...).
 */
export type VietQRErrorCode =
  | 'BAD_CRC'
  | 'MALFORMED_TLV'
  | 'NOT_VIETQR'
  | 'INVALID_BIN'
  | 'INVALID_ACCOUNT'
  | 'INVALID_AMOUNT'
  | 'FIELD_TOO_LONG'
  | 'NOT_ASCII'
  | 'MISSING_FIELD'
  | 'INVALID_FIELD';

/**
 * The only error encoding, decoding and parsing throw, whatever the input.
 *
 * @example
 * try { decodeVietQR(text); } catch (e) { if (e instanceof VietQRError && e.code === 'BAD_CRC') … }
 */
export class VietQRError extends Error {
  override name = 'VietQRError';
  constructor(
    /** Machine-readable reason. */
    readonly code: VietQRErrorCode,
    message: string,
    /** The field at fault: an input property name (`amount`) or a TLV path (`38.01.00`). */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Throws the {@link VietQRError} `code` for `field`: the one way core fails (typed `never`, usable in expressions). */
export const fail = (code: VietQRErrorCode, field: string | undefined, message: string): never => {
  throw new VietQRError(code, message, field);
};
