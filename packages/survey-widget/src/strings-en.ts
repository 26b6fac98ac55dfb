// The widget's own words in English; <qr-survey> loads this module before its first English paint.
import type { Strings } from './strings.js';

export const en: Strings = {
  officer: 'Officer',
  counter: 'Counter',
  thanks: 'Thank you for your rating!',
  rated: 'This dossier has already been rated.',
  send: 'Send rating',
  skip: 'Skip',
  needAnswer: 'Please choose at least one answer.',
  wait: 'Please wait a moment…',
  qrError: 'The rating QR code could not be created.',
  rejected: 'Your rating was not recorded. Please rate again.',
};
