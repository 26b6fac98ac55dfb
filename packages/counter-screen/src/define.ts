import { defineElement } from '@motcua/core/runtime';
import { QrCounterScreen, type QrCounterScreenConnectionDetail, type QrCounterScreenStateDetail } from './qr-counter-screen.js';

/** The version this copy registers with (two copies on one page warn, never crash). */
export const VERSION = '0.1.0';

defineElement('qr-counter-screen', QrCounterScreen, VERSION);

declare global {
  interface HTMLElementTagNameMap {
    'qr-counter-screen': QrCounterScreen;
  }
  interface GlobalEventHandlersEventMap {
    'qr-counter-screen-state': CustomEvent<QrCounterScreenStateDetail>;
    'qr-counter-screen-connection': CustomEvent<QrCounterScreenConnectionDetail>;
  }
}
