// The plain HTML page's only script besides the CDN file: listens to the elements' events.
import { record } from './record.js';

for (const type of ['qr-payment-status', 'qr-payment-paid', 'qr-payment-error', 'qr-survey-submit', 'qr-survey-queued', 'qr-survey-error']) {
  document.addEventListener(type, (event) => record('addEventListener', event));
}
