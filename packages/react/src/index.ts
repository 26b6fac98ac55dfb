/**
 * @motcua/react — the motcua elements as React components (generated with `@lit/react` from the
 * custom-elements manifests). Importing a component registers its element.
 *
 * @example
 * import { QrPayment } from '@motcua/react';
 * <QrPayment src="/api/payments/42" onPaid={(event) => console.log(event.detail.payment)} />
 */
export { QrPayment } from './qr-payment.js';
export { QrPaymentSlip } from './qr-payment-slip.js';
export { QrSurvey } from './qr-survey.js';
export { QrCounterScreen } from './qr-counter-screen.js';
