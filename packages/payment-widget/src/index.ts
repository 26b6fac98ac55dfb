/**
 * @motcua/payment-widget — `<qr-payment>`, the self-confirming VietQR payment web component, and
 * `watchPayment`, its status watcher without the element. Importing this module registers the tag.
 */
import './define.js';

export { VERSION } from './define.js';
export {
  QrPayment,
  type QrPaymentView,
  type PaymentStatusSource,
  type QrPaymentStatusDetail,
  type QrPaymentDetail,
  type QrPaymentErrorDetail,
} from './qr-payment.js';
export {
  watchPayment,
  isNewerPayment,
  PaymentWatchError,
  WatchErrorCode,
  type WatchPaymentOptions,
  type PaymentWatcher,
  type PaymentTransport,
} from './watch-payment.js';
export { drawQrSymbol } from './qr-canvas.js';
// Core's, re-exported as before they moved there.
export { encodeQrSymbol, QUIET_ZONE, type QrSymbol } from '@motcua/core/qr';
