/**
 * The all-in-one entry (bundled as `dist/cdn/motcua.js`): `<qr-payment>`, `<qr-survey>` and
 * `<qr-counter-screen>` with one script tag.
 */
import '@motcua/payment-widget';
import '@motcua/survey-widget';

export { QrPayment, watchPayment } from '@motcua/payment-widget';
export { QrSurvey, SubmissionQueue } from '@motcua/survey-widget';
export * from './index.js';
// The codec, for pages that read or check a payload (e.g. a simulated bank showing the memo).
export { encodeVietQR, decodeVietQR, parseEmvQr, VietQRError } from '@motcua/core';
