// The question-set schema (plain JSON, so a district can ship its own), the satisfaction scale and the
// default `counter` preset: what <qr-survey> needs for its first paint. The `phone` preset and the
// validator are separate modules, loaded by the element only when they are used.
// Wording condensed from the official one-stop evaluation criteria (Thông tư 01/2018/TT-VPCP,
// kept by Nghị định 118/2025/NĐ-CP); see shared/reference/satisfaction-criteria.md.
import type { Locale } from '@motcua/core/runtime';
import type { Tone } from './tone.js';

/** Text in every language the widget speaks; `vi` is required, `en` falls back to `vi`. */
export interface LocalizedText {
  vi: string;
  en?: string;
}

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

/** The text in `locale`, falling back to Vietnamese. */
export function localize(text: LocalizedText, locale: Locale): string {
  return (locale === 'en' && text.en) || text.vi;
}
