/**
 * The all-in-one entry (bundled as `dist/cdn/motcua.js`): `<qr-payment>`, `<qr-survey>` and
 * `<qr-counter-screen>` with one script tag.
 */
import '@motcua/payment-widget';
import '@motcua/survey-widget';

export { QrPayment, watchPayment } from '@motcua/payment-widget';
export { QrSurvey, SubmissionQueue } from '@motcua/survey-widget';
export * from './index.js';
