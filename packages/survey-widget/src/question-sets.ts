// The question-set API for bundler users: the schema, the scale, both presets and the validator.
// <qr-survey> itself imports the pieces (questions.ts first, the rest lazily) so the CDN file stays small.
import { phonePreset } from './phone-preset.js';
import { COUNTER_PRESET, satisfactionScale, type QuestionSet } from './questions.js';

export {
  COUNTER_PRESET,
  Satisfaction,
  localize,
  satisfactionScale,
  type CommentPolicy,
  type LocalizedText,
  type QuestionSet,
  type ScaleOptions,
  type SurveyOption,
  type SurveyQuestion,
} from './questions.js';
export { Tone } from './tone.js';
export { QuestionSetError, parseQuestionSet } from './parse-question-set.js';

/** `phone`: the indicators of the one-stop evaluation criteria that the citizen can answer (3, 4, 6, 7, 10, 11). */
export const PHONE_PRESET: QuestionSet = phonePreset(satisfactionScale(3));

/** The presets by id, for the `survey` attribute. */
export const PRESETS: Readonly<Record<string, QuestionSet>> = { counter: COUNTER_PRESET, phone: PHONE_PRESET };
