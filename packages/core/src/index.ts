/**
 * @motcua/core — isomorphic (no DOM) VietQR/EMVCo encoding, decoding and validation, CRC-16,
 * memo normalisation, the shared backoff, locale helpers and the wire-protocol types.
 * The bank directory is a separate entry point: `@motcua/core/banks`.
 */
export { crc16, crc16Hex } from './crc16.js';
export { VietQRError, VietQRErrorCode } from './errors.js';
export { encodeVietQR, decodeVietQR, normalizeAmount, NAPAS_GUID, SERVICE_CODES, type VietQRInput, type VietQRData } from './vietqr.js';
export { parseEmvQr, type EmvQr, type EmvField, type EmvQrKind, type EmvScheme } from './emv.js';
export { toMemo } from './memo.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { resolveLocale, formatVnd, type Locale } from './locale.js';
export { defineElement, MOTCUA_VERSION_KEY } from './define.js';
export {
  PaymentStatus,
  FINAL_PAYMENT_STATUSES,
  isFinalStatus,
  parsePaymentResource,
  ProtocolError,
  type PaymentResource,
  type PaymentBank,
  type CounterState,
  type SurveyPrompt,
  type SurveySubmission,
  type ApiErrorBody,
} from './protocol.js';
