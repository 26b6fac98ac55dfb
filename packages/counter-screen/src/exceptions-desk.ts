/**
 * `<qr-exceptions-desk>`, the officer's exceptions desk for the portal's back office — an entry of its
 * own (`@motcua/counter-screen/exceptions-desk.js`, CDN `dist/cdn/qr-exceptions-desk.js`), so pages
 * with the citizen screen or the widgets never load its bytes. Importing this module registers the tag.
 */
import { defineElement } from '@motcua/core/runtime';
import { QrExceptionsDesk, type QrExceptionsDeskActionDetail } from './qr-exceptions-desk.js';
import { VERSION } from './version.js';

export { QrExceptionsDesk, type DeskAdjustment, type DeskTransfer, type QrExceptionsDeskActionDetail } from './qr-exceptions-desk.js';

export { VERSION };

defineElement('qr-exceptions-desk', QrExceptionsDesk, VERSION);

declare global {
  interface HTMLElementTagNameMap {
    'qr-exceptions-desk': QrExceptionsDesk;
  }
  interface GlobalEventHandlersEventMap {
    'qr-exceptions-desk-action': CustomEvent<QrExceptionsDeskActionDetail>;
  }
}
