/**
 * The all-in-one entry (bundled as `dist/cdn/motcua.js`): `<qr-payment>`, `<qr-survey>` and
 * `<qr-counter-screen>` with one script tag.
 *
 * Only what the first paint needs is in the file itself; the status watcher, the rating queue, the
 * bank directory, English and the survey's optional steps are chunks beside it, loaded when a page
 * needs them. The headless APIs are files of their own in the same folder, sharing one copy of
 * everything with the elements: `motcua-watch-payment.js` (`watchPayment`) and
 * `motcua-submission-queue.js` (`SubmissionQueue`).
 */
import '@motcua/payment-widget/define.js';
import '@motcua/survey-widget/define.js';
import './define.js';

export { QrPayment } from '@motcua/payment-widget/qr-payment.js';
export { QrSurvey } from '@motcua/survey-widget/qr-survey.js';
export { QrCounterScreen } from './qr-counter-screen.js';
export { PaymentFeed } from './payment-feed.js';
export { VERSION } from './define.js';
// The codec, for pages that read or check a payload (e.g. a simulated bank showing the memo).
// `parseEmvQr` is not here (no element needs it): @motcua/core/emv, or core's CDN file `motcua-emv.js`.
export { encodeVietQR, decodeVietQR, VietQRError } from '@motcua/core';
// The money arithmetic of the screens, for a host's own messages (e.g. the officer's: received, still due, to refund).
export { amountDue, amountToRefund, isClosedWithMoney } from '@motcua/core/protocol';
