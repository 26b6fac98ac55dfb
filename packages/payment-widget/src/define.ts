import { defineElement } from '@motcua/core/runtime';
import { QrPayment, type QrPaymentDetail, type QrPaymentErrorDetail, type QrPaymentStatusDetail } from './qr-payment.js';
import { VERSION } from './version.js';

export { VERSION };

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
