/**
 * `@motcua/payment-widget/slip.js` — `<qr-payment-slip>`, the printed payment slip, as an entry of its
 * own: `<qr-payment>` users do not load it. Importing this module registers the tag. It is also the
 * CDN file `dist/cdn/qr-payment-slip.js` (beside `qr-payment.js`, sharing Lit and the QR encoder with
 * it) and `motcua-payment-slip.js` beside the all-in-one `motcua.js`.
 */
import { defineElement } from '@motcua/core/runtime';
import { VERSION } from './version.js';
import { QrPaymentSlip, type QrPaymentSlipErrorDetail } from './qr-payment-slip.js';

export {
  QrPaymentSlip,
  type QrPaymentSlipPaper,
  type QrPaymentSlipPayment,
  type QrPaymentSlipErrorDetail,
} from './qr-payment-slip.js';

defineElement('qr-payment-slip', QrPaymentSlip, VERSION);

declare global {
  interface HTMLElementTagNameMap {
    'qr-payment-slip': QrPaymentSlip;
  }
  interface GlobalEventHandlersEventMap {
    'qr-payment-slip-error': CustomEvent<QrPaymentSlipErrorDetail>;
  }
}
