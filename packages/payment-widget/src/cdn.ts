/**
 * The CDN entry of `<qr-payment>` (`dist/cdn/qr-payment.js`): registers the tag, for
 * `<script type="module" src=".../qr-payment.js">`. It exports nothing, so Rollup may put the code
 * the lazy chunks share (the status watcher, English, the bank directory) in this file itself
 * rather than behind a facade. The class is `customElements.get('qr-payment')`; `watchPayment` for
 * use without the element is in the npm entry (`index.ts`) and in the all-in-one `motcua.js`.
 */
import './define.js';
