// What only some pages need, each loaded with import() (Rollup makes each a chunk beside the CDN
// file), in one place: <qr-survey>'s first paint awaits the ones it needs (its `_content` task), the
// others load when their moment comes.
import { lazy, type Lazy } from '@motcua/core/runtime';
import { satisfactionScale, type QuestionSet } from './questions.js';

/** Presets beyond the counter's (which the entry carries), by `survey` id. */
export const lazyPresets: Record<string, Lazy<QuestionSet>> = {
  phone: lazy(async () => (await import('./phone-preset.js')).phonePreset(satisfactionScale(3))),
};
/** The widget's own words in English. */
export const english = lazy(async () => (await import('./strings-en.js')).en);
/** The check of a host's question set. */
export const validator = lazy(async () => (await import('./parse-question-set.js')).parseQuestionSet);
/** The comment step, for a set that can offer a comment. */
export const commentStep = lazy(() => import('./comment-step.js'));
/** `mode="qr"`: the QR encoder, the QR's template and styles. */
export const qrMode = lazy(() => import('./qr-mode.js'));
/** The words of the queue's answers and of set-up problems. */
export const notices = lazy(async () => (await import('./notices.js')).NOTICES);
/** The controller of the ratings an element hands to its queue (loaded when the element connects). */
export const ratingSubmissions = lazy(() => import('./rating-submissions.js'));
/** The page's shared queue; its module (IndexedDB, retries) is loaded when the first element connects. */
export const sharedQueue = async () => (await import('./submission-queue.js')).SubmissionQueue.shared();
