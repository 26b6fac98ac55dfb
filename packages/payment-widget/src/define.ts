import { defineElement } from '@motcua/core/runtime';
import { QrPayment, type QrPaymentDetail, type QrPaymentErrorDetail, type QrPaymentStatusDetail } from './qr-payment.js';

/** The version of this package, stamped on the registered class (two copies on one page warn, never crash). */
export const VERSION = '0.1.0';

defineElement('qr-payment', QrPayment, VERSION);

declare global {
  interface HTMLElementTagNameMap {
    'qr-payment': QrPayment;
  }
  interface GlobalEventHandlersEventMap {
    'qr-payment-status': CustomEvent<QrPaymentStatusDetail>;
    'qr-payment-paid': CustomEvent<QrPaymentDetail>;
    'qr-payment-expired': CustomEvent<QrPaymentDetail>;
    'qr-payment-error': CustomEvent<QrPaymentErrorDetail>;
    'qr-payment-regenerate': CustomEvent<QrPaymentDetail>;
  }
}
