/**
 * The CDN entry of `<qr-counter-screen>` (`dist/cdn/qr-counter-screen.js`): registers the screen and
 * the two elements it shows, `<qr-payment>` and `<qr-survey>`. Like their own CDN files it exports
 * nothing, so their lazy chunks (status watcher, rating queue, English…) stay beside it.
 */
import '@motcua/payment-widget/define.js';
import '@motcua/survey-widget/define.js';
import './define.js';
