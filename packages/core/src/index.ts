/**
 * @motcua/core — isomorphic (no DOM) VietQR/EMVCo encoding, decoding and validation, CRC-16 and memo
 * normalisation, plus the wire-protocol types.
 *
 * Other entry points keep this one small:
 * - `@motcua/core/banks` — the bank directory (72 BINs);
 * - `@motcua/core/emv` — `parseEmvQr`, the tolerant tree of any EMVCo QR (VNPAY-QR, PromptPay...);
 * - `@motcua/core/protocol` — the wire protocol at run time (statuses, `parsePaymentResource`);
 * - `@motcua/core/runtime` — what the widgets share (backoff, locale, guarded `defineElement`);
 * - `@motcua/core/stream` — one shared Server-Sent Events connection per URL in a page;
 * - `@motcua/core/qr` — the QR Code encoder and the symbol the widgets draw.
 */
export { crc16, crc16Hex } from './crc16.js';
export { VietQRError, type VietQRErrorCode } from './errors.js';
export {
  encodeVietQR,
  decodeVietQR,
  NAPAS_GUID,
  SERVICE_CODES,
  type VietQRInput,
  type VietQRTransferInput,
  type VietQRMerchantInput,
  type VietQRData,
  type VietQRTransferData,
  type VietQRMerchantData,
  type VietQRFields,
  type VietQRService,
} from './vietqr.js';
export { toMemo } from './memo.js';
export type { Locale } from './locale.js';
export type { BackoffOptions } from './backoff.js';
export type {
  PaymentStatus,
  PaymentResource,
  PaymentBank,
  CounterState,
  SurveyPrompt,
  SurveySubmission,
  ApiErrorBody,
} from './protocol.js';
