/**
 * @motcua/counter-screen — `<qr-counter-screen>`, the citizen-facing screen of a one-stop counter.
 * Importing this module registers the tag; `<qr-payment>` and `<qr-survey>` come with it.
 */
import '@motcua/payment-widget';
import '@motcua/survey-widget';
import './define.js';

export { VERSION } from './define.js';
export {
  QrCounterScreen,
  type CounterScreenView,
  type SurveyChannel,
  type QrCounterScreenStateDetail,
  type QrCounterScreenConnectionDetail,
} from './qr-counter-screen.js';
export { PaymentFeed } from './payment-feed.js';
