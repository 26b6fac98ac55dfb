// The widget's own words in English; <qr-survey> loads this module before its first English paint.
import type { Strings } from './strings.js';

export const en: Strings = {
  officer: 'Officer',
  counter: 'Counter',
  thanks: 'Thank you for your rating!',
  thanksQueued: 'Your rating is saved and will be sent when the connection is back.',
  rated: 'This dossier has already been rated.',
  send: 'Send rating',
  skip: 'Skip',
  needAnswer: 'Please choose at least one answer.',
  wait: 'Please wait a moment…',
  scanToRate: 'Scan the QR code with your phone to rate',
  scanPrivacy: 'Your choice stays private.',
  qrLabel: 'QR code opening the rating page on your phone',
  qrError: 'The rating QR code could not be created.',
  noEndpoint: 'No address to send ratings to (endpoint attribute).',
  noPhoneUrl: 'No rating page address (phone-url attribute).',
  invalidSet: 'Invalid question set',
  rejected: 'The rating was not accepted',
};
