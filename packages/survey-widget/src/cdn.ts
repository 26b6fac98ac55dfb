// The CDN file's entry: registers <qr-survey> and nothing else eagerly. The npm entry (index.ts)
// also re-exports the queue, the presets and the question-set validator for bundler users; here
// the element loads those as chunks beside the CDN file when a page needs them.
import './define.js';

export { VERSION } from './define.js';
export { QrSurvey } from './qr-survey.js';
