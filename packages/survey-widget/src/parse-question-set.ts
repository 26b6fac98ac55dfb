// Validation of a host's own question set; <qr-survey> loads it only when `questionSet` is set.
import type { LocalizedText, QuestionSet } from './questions.js';
import { Tone } from './tone.js';

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

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

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
