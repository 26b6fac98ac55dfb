import './define.js';

export { VERSION } from './define.js';
export {
  QrSurvey,
  type QrSurveyErrorDetail,
  type QrSurveyErrorReason,
  type QrSurveyEventMap,
  type QrSurveyQueuedDetail,
  type QrSurveyResetDetail,
  type QrSurveySubmitDetail,
  type SurveyMode,
} from './qr-survey.js';
export {
  SubmissionQueue,
  type QueuedDetail,
  type QueuedSubmission,
  type QueueStorageKind,
  type RejectedDetail,
  type SentDetail,
  type StorageDetail,
  type SubmissionQueueEventMap,
  type SubmissionQueueOptions,
  type SubmitOutcome,
} from './submission-queue.js';
export {
  COUNTER_PRESET,
  PHONE_PRESET,
  PRESETS,
  QuestionSetError,
  Satisfaction,
  Tone,
  localize,
  parseQuestionSet,
  satisfactionScale,
  type CommentPolicy,
  type LocalizedText,
  type QuestionSet,
  type ScaleOptions,
  type SurveyOption,
  type SurveyQuestion,
} from './question-sets.js';
export { clearRatedDossiers, isDossierRated } from './rated-dossiers.js';
