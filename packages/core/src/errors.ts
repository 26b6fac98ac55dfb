/** Every reason encoding or decoding a VietQR can fail. */
export const VietQRErrorCode = {
  /** The CRC (field 63) does not match the payload. */
  BadCrc: 'BAD_CRC',
  /** The TLV structure is broken: bad ID or length, value running past the end, duplicates. */
  MalformedTlv: 'MALFORMED_TLV',
  /** A well-formed EMVCo QR that is not a NAPAS VietQR (e.g. VNPAY-QR). */
  NotVietQR: 'NOT_VIETQR',
  /** The acquirer BIN is not 6 digits. */
  InvalidBin: 'INVALID_BIN',
  /** The account or card number is empty, too long (> 19) or has characters other than letters and digits. */
  InvalidAccount: 'INVALID_ACCOUNT',
  /** The amount is not a positive whole number of VND with at most 13 digits. */
  InvalidAmount: 'INVALID_AMOUNT',
  /** A text field is longer than the spec allows (it is never truncated silently). */
  FieldTooLong: 'FIELD_TOO_LONG',
  /** A text field has characters outside printable ASCII (use toMemo to convert Vietnamese). */
  NotAscii: 'NOT_ASCII',
  /** A mandatory field is absent. */
  MissingField: 'MISSING_FIELD',
  /** A field has a value the spec does not allow (currency, country, service code, MCC...). */
  InvalidField: 'INVALID_FIELD',
} as const;
export type VietQRErrorCode = (typeof VietQRErrorCode)[keyof typeof VietQRErrorCode];

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
