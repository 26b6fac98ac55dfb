// The question-set schema (plain JSON, so a district can ship its own) and the shipped presets.
// Wording condensed from the official one-stop evaluation criteria (Thông tư 01/2018/TT-VPCP,
// kept by Nghị định 118/2025/NĐ-CP); see shared/reference/satisfaction-criteria.md.
import type { Locale } from '@motcua/core/runtime';

/** Text in every language the widget speaks; `vi` is required, `en` falls back to `vi`. */
export interface LocalizedText {
  vi: string;
  en?: string;
}

/** How an answer leans, for colour and for "always offer a comment after a low score". */
export const Tone = { Positive: 'positive', Neutral: 'neutral', Negative: 'negative' } as const;
export type Tone = (typeof Tone)[keyof typeof Tone];

/** One answer option. `value` is what is stored; the label is only shown. */
export interface SurveyOption {
  /** Stored value, e.g. `very_satisfied`. ASCII, unique within the question. */
  value: string;
  label: LocalizedText;
  tone?: Tone;
  /** Points of the official scoring (2 / 1 / 0), for reports. */
  score?: number;
}

/** One question: a single choice among its options. */
export interface SurveyQuestion {
  /** Key in `answers`, e.g. `attitude`. */
  id: string;
  text: LocalizedText;
  options: SurveyOption[];
  /** Follow-up: show this question only when question `question` was answered with one of `values`. */
  showIf?: { question: string; values: string[] };
}

/** When the free-text comment ("phản ánh, kiến nghị") is offered. A low score always offers it unless `never`. */
export type CommentPolicy = 'low' | 'always' | 'never';

/** A whole survey, as JSON. */
export interface QuestionSet {
  /** Sent as `surveyId`. */
  id: string;
  title?: LocalizedText;
  questions: SurveyQuestion[];
  /** Default `low`. */
  comment?: CommentPolicy;
  /** Longest comment accepted, characters. Default 500. */
  commentMaxLength?: number;
  /** Offer the separate, unticked opt-in for contact details. Default false. */
  contactOptIn?: boolean;
}

/** Stored values of the satisfaction scales (what reports count, whatever the label says). */
export const Satisfaction = {
  VerySatisfied: 'very_satisfied',
  Satisfied: 'satisfied',
  Neutral: 'neutral',
  Dissatisfied: 'dissatisfied',
  VeryDissatisfied: 'very_dissatisfied',
} as const;
export type Satisfaction = (typeof Satisfaction)[keyof typeof Satisfaction];

/** Options of {@link satisfactionScale}. */
export interface ScaleOptions {
  /** Label of the negative answer of the 3-level scale, e.g. `{ vi: 'Chưa hài lòng' }`. Stored as `dissatisfied` all the same. */
  dissatisfiedLabel?: LocalizedText;
}

/**
 * The official satisfaction scale: 3 levels as the one-stop counters use them, or 5 levels as
 * ministry-style forms do.
 *
 * @example
 * satisfactionScale(3, { dissatisfiedLabel: { vi: 'Chưa hài lòng', en: 'Not yet satisfied' } });
 */
export function satisfactionScale(levels: 3 | 5, options: ScaleOptions = {}): SurveyOption[] {
  const dissatisfiedLabel = options.dissatisfiedLabel ?? { vi: 'Không hài lòng', en: 'Dissatisfied' };
  if (levels === 3) {
    return [
      { value: Satisfaction.VerySatisfied, label: { vi: 'Rất hài lòng', en: 'Very satisfied' }, tone: 'positive', score: 2 },
      { value: Satisfaction.Satisfied, label: { vi: 'Hài lòng', en: 'Satisfied' }, tone: 'positive', score: 1 },
      { value: Satisfaction.Dissatisfied, label: dissatisfiedLabel, tone: 'negative', score: 0 },
    ];
  }
  return [
    { value: Satisfaction.VerySatisfied, label: { vi: 'Rất hài lòng', en: 'Very satisfied' }, tone: 'positive' },
    { value: Satisfaction.Satisfied, label: { vi: 'Hài lòng', en: 'Satisfied' }, tone: 'positive' },
    { value: Satisfaction.Neutral, label: { vi: 'Bình thường', en: 'Neutral' }, tone: 'neutral' },
    { value: Satisfaction.Dissatisfied, label: dissatisfiedLabel, tone: 'negative' },
    { value: Satisfaction.VeryDissatisfied, label: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' }, tone: 'negative' },
  ];
}

/** `counter` (default): the one question shown on the counter's screen with the officer's name. */
export const COUNTER_PRESET: QuestionSet = {
  id: 'counter',
  title: { vi: 'Đánh giá mức độ hài lòng', en: 'Rate our service' },
  questions: [
    {
      id: 'attitude',
      text: {
        vi: 'Ông/Bà đánh giá như thế nào về thái độ công chức khi hướng dẫn và tiếp nhận giải quyết hồ sơ?',
        en: 'How would you rate the officer’s attitude when guiding you and receiving your dossier?',
      },
      options: satisfactionScale(3),
    },
  ],
  comment: 'low',
  commentMaxLength: 500,
};

/** `phone`: the indicators of the one-stop evaluation criteria that the citizen can answer (3, 4, 6, 7, 10, 11). */
export const PHONE_PRESET: QuestionSet = {
  id: 'phone',
  title: { vi: 'Đánh giá việc giải quyết thủ tục hành chính', en: 'Rate how your procedure was handled' },
  questions: [
    {
      id: 'contacts',
      text: {
        vi: 'Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ (kể cả trực tuyến)',
        en: 'How many times did you have to contact the receiving office to complete your dossier (online included)?',
      },
      options: [
        { value: 'none', label: { vi: 'Không phải liên hệ', en: 'None' }, tone: 'positive', score: 2 },
        { value: 'once', label: { vi: '01 lần', en: 'Once' }, tone: 'neutral', score: 1 },
        { value: 'more', label: { vi: 'Từ 02 lần trở lên', en: 'Twice or more' }, tone: 'negative', score: 0 },
      ],
    },
    {
      id: 'offices',
      text: {
        vi: 'Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ',
        en: 'How many agencies or organisations did you have to contact to complete your dossier?',
      },
      options: [
        { value: 'none', label: { vi: 'Không phải liên hệ', en: 'None' }, tone: 'positive', score: 2 },
        { value: 'one_stop', label: { vi: 'Chỉ Bộ phận Một cửa', en: 'Only the one-stop counter' }, tone: 'neutral', score: 1 },
        { value: 'more', label: { vi: 'Nhiều hơn 01 cơ quan, đơn vị', en: 'More than one agency' }, tone: 'negative', score: 0 },
      ],
    },
    {
      id: 'publicity',
      text: { vi: 'Công khai các thủ tục hành chính', en: 'Public posting of the administrative procedure' },
      options: [
        { value: 'posted_and_online', label: { vi: 'Được niêm yết tại nơi tiếp nhận và đăng tải trực tuyến', en: 'Posted at the office and online' }, tone: 'positive', score: 2 },
        { value: 'posted_or_online', label: { vi: 'Được niêm yết hoặc đăng tải trực tuyến', en: 'Posted at the office or online' }, tone: 'neutral', score: 1 },
        { value: 'incomplete', label: { vi: 'Công khai không đầy đủ', en: 'Not fully public' }, tone: 'negative', score: 0 },
      ],
    },
    {
      id: 'attitude',
      text: {
        vi: 'Thái độ của cán bộ, công chức khi hướng dẫn lập hồ sơ, tiếp nhận và giải quyết hồ sơ',
        en: 'The officers’ attitude when guiding, receiving and handling your dossier',
      },
      options: [
        { value: 'helpful', label: { vi: 'Tận tình, chu đáo; không gây phiền hà, nhũng nhiễu', en: 'Helpful and attentive; no trouble or harassment' }, tone: 'positive', score: 2 },
        { value: 'proper', label: { vi: 'Đúng mực; không gây phiền hà, nhũng nhiễu', en: 'Proper; no trouble or harassment' }, tone: 'neutral', score: 1 },
        { value: 'harassment', label: { vi: 'Có gây phiền hà, nhũng nhiễu', en: 'Caused trouble or harassment' }, tone: 'negative', score: 0 },
      ],
    },
    {
      id: 'convenience',
      text: { vi: 'Mức độ thuận tiện khi sử dụng dịch vụ', en: 'How convenient was the service?' },
      options: satisfactionScale(3),
    },
    {
      id: 'overall',
      text: { vi: 'Đánh giá tổng thể dịch vụ', en: 'Overall assessment of the service' },
      options: satisfactionScale(3),
    },
  ],
  comment: 'always',
  commentMaxLength: 1000,
  contactOptIn: true,
};

/** The presets by id, for the `survey` attribute. */
export const PRESETS: Readonly<Record<string, QuestionSet>> = { counter: COUNTER_PRESET, phone: PHONE_PRESET };

/** Thrown by {@link parseQuestionSet} for a question set that does not follow the schema. */
export class QuestionSetError extends Error {
  override name = 'QuestionSetError';
  constructor(
    message: string,
    /** Path of the field at fault, e.g. `questions[1].options`. */
    readonly field: string,
  ) {
    super(message);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkText(value: unknown, field: string): LocalizedText {
  if (!isRecord(value) || typeof value.vi !== 'string' || (value.en !== undefined && typeof value.en !== 'string')) {
    throw new QuestionSetError(`${field} must be { vi: string, en?: string }.`, field);
  }
  return value as unknown as LocalizedText;
}

/**
 * Validates untrusted JSON as a {@link QuestionSet}, naming the first field that is wrong.
 *
 * @example
 * el.questionSet = parseQuestionSet(await (await fetch('/surveys/ward.json')).json());
 */
export function parseQuestionSet(value: unknown): QuestionSet {
  if (!isRecord(value)) throw new QuestionSetError('A question set must be an object.', '(root)');
  if (typeof value.id !== 'string' || !value.id) throw new QuestionSetError('id must be a non-empty string.', 'id');
  if (value.title !== undefined) checkText(value.title, 'title');
  if (!Array.isArray(value.questions) || value.questions.length === 0) {
    throw new QuestionSetError('questions must be a non-empty array.', 'questions');
  }
  const ids = new Set<string>();
  value.questions.forEach((question: unknown, index) => {
    const at = `questions[${index}]`;
    if (!isRecord(question) || typeof question.id !== 'string' || !question.id || ids.has(question.id)) {
      throw new QuestionSetError(`${at}.id must be a unique non-empty string.`, `${at}.id`);
    }
    checkText(question.text, `${at}.text`);
    if (!Array.isArray(question.options) || question.options.length < 2) {
      throw new QuestionSetError(`${at}.options must list at least two options.`, `${at}.options`);
    }
    const values = new Set<string>();
    question.options.forEach((option: unknown, optionIndex) => {
      const oat = `${at}.options[${optionIndex}]`;
      if (!isRecord(option) || typeof option.value !== 'string' || !option.value || values.has(option.value)) {
        throw new QuestionSetError(`${oat}.value must be a unique non-empty string.`, `${oat}.value`);
      }
      values.add(option.value);
      checkText(option.label, `${oat}.label`);
      if (option.tone !== undefined && !Object.values(Tone).includes(option.tone as Tone)) {
        throw new QuestionSetError(`${oat}.tone must be positive, neutral or negative.`, `${oat}.tone`);
      }
    });
    const showIf = question.showIf;
    if (showIf !== undefined) {
      if (!isRecord(showIf) || typeof showIf.question !== 'string' || !ids.has(showIf.question) || !Array.isArray(showIf.values)) {
        throw new QuestionSetError(`${at}.showIf must name an earlier question and list values.`, `${at}.showIf`);
      }
    }
    ids.add(question.id);
  });
  if (value.comment !== undefined && !['low', 'always', 'never'].includes(value.comment as string)) {
    throw new QuestionSetError('comment must be low, always or never.', 'comment');
  }
  const max = value.commentMaxLength;
  if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max > 0)) {
    throw new QuestionSetError('commentMaxLength must be a positive integer.', 'commentMaxLength');
  }
  return value as unknown as QuestionSet;
}

/** The text in `locale`, falling back to Vietnamese. */
export function localize(text: LocalizedText, locale: Locale): string {
  return (locale === 'en' && text.en) || text.vi;
}
