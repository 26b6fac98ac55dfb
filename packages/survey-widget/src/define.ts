import { defineElement } from '@motcua/core/runtime';
import { QrSurvey, type QrSurveyEventMap } from './qr-survey.js';

/** The version this copy registers with, so two copies on one page can say which one won. */
export const VERSION = '0.1.0';

defineElement('qr-survey', QrSurvey, VERSION);

declare global {
  interface HTMLElementTagNameMap {
    'qr-survey': QrSurvey;
  }
  interface GlobalEventHandlersEventMap extends QrSurveyEventMap {}
}
