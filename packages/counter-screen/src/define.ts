import { defineElement } from '@motcua/core/runtime';
import { QrCounterScreen, type QrCounterScreenConnectionDetail, type QrCounterScreenStateDetail } from './qr-counter-screen.js';
import { VERSION } from './version.js';

export { VERSION };

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
