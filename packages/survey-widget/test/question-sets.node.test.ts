import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COUNTER_PRESET,
  PHONE_PRESET,
  PRESETS,
  QuestionSetError,
  Satisfaction,
  localize,
  parseQuestionSet,
  satisfactionScale,
  type QuestionSet,
} from '../src/question-sets.js';

describe('question sets', () => {
  it('should ship valid presets with Vietnamese and English wording everywhere', () => {
    for (const preset of Object.values(PRESETS)) {
      assert.equal(parseQuestionSet(JSON.parse(JSON.stringify(preset))).id, preset.id);
      for (const question of preset.questions) {
        assert.ok(question.text.vi && question.text.en, `${preset.id}.${question.id} text`);
        for (const option of question.options) assert.ok(option.label.vi && option.label.en, `${preset.id}.${question.id}.${option.value}`);
      }
    }
    assert.deepEqual(Object.keys(PRESETS), ['counter', 'phone']);
  });

  it('should ask the officer-attitude question on the counter preset with the three official levels', () => {
    assert.equal(COUNTER_PRESET.questions.length, 1);
    assert.match(COUNTER_PRESET.questions[0]!.text.vi, /thái độ công chức khi hướng dẫn và tiếp nhận giải quyết hồ sơ/);
    assert.deepEqual(
      COUNTER_PRESET.questions[0]!.options.map((o) => [o.label.vi, o.value, o.score]),
      [
        ['Rất hài lòng', 'very_satisfied', 2],
        ['Hài lòng', 'satisfied', 1],
        ['Không hài lòng', 'dissatisfied', 0],
      ],
    );
  });

  it('should cover the citizen-answerable indicators on the phone preset, each scored 2/1/0', () => {
    assert.deepEqual(
      PHONE_PRESET.questions.map((q) => q.id),
      ['contacts', 'offices', 'publicity', 'attitude', 'convenience', 'overall'],
    );
    for (const question of PHONE_PRESET.questions)
      assert.deepEqual(
        question.options.map((o) => o.score),
        [2, 1, 0],
      );
    assert.equal(PHONE_PRESET.comment, 'always');
  });

  it('should build the five-level scale and relabel the negative answer without changing what is stored', () => {
    assert.deepEqual(
      satisfactionScale(5).map((o) => o.label.vi),
      ['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng'],
    );
    assert.deepEqual(
      satisfactionScale(5).map((o) => o.value),
      Object.values(Satisfaction),
    );
    const relabelled = satisfactionScale(3, { dissatisfiedLabel: { vi: 'Chưa hài lòng' } });
    assert.equal(relabelled[2]!.label.vi, 'Chưa hài lòng');
    assert.equal(relabelled[2]!.value, 'dissatisfied');
  });

  it('should name the first wrong field of an invalid question set', () => {
    const valid: QuestionSet = {
      id: 's',
      questions: [
        {
          id: 'q',
          text: { vi: 'Q' },
          options: [
            { value: 'a', label: { vi: 'A' } },
            { value: 'b', label: { vi: 'B' } },
          ],
        },
      ],
    };
    const cases: Array<[unknown, string]> = [
      [null, '(root)'],
      [{ ...valid, id: '' }, 'id'],
      [{ ...valid, questions: [] }, 'questions'],
      [{ ...valid, questions: [valid.questions[0], valid.questions[0]] }, 'questions[1].id'],
      [{ ...valid, questions: [{ ...valid.questions[0], text: 'Q' }] }, 'questions[0].text'],
      [{ ...valid, questions: [{ ...valid.questions[0], options: [valid.questions[0]!.options[0]] }] }, 'questions[0].options'],
      [
        { ...valid, questions: [{ ...valid.questions[0], options: [valid.questions[0]!.options[0], valid.questions[0]!.options[0]] }] },
        'questions[0].options[1].value',
      ],
      [
        { ...valid, questions: [{ ...valid.questions[0], options: [{ value: 'a', label: { vi: 'A' }, tone: 'angry' }, valid.questions[0]!.options[1]] }] },
        'questions[0].options[0].tone',
      ],
      [{ ...valid, questions: [{ ...valid.questions[0], showIf: { question: 'later', values: ['a'] } }] }, 'questions[0].showIf'],
      [{ ...valid, comment: 'sometimes' }, 'comment'],
      [{ ...valid, commentMaxLength: 0 }, 'commentMaxLength'],
    ];
    for (const [input, field] of cases) {
      assert.throws(
        () => parseQuestionSet(input),
        (error: unknown) => error instanceof QuestionSetError && error.field === field,
        field,
      );
    }
    assert.equal(parseQuestionSet(valid), valid);
  });

  it('should fall back to Vietnamese where English is missing', () => {
    assert.equal(localize({ vi: 'Xin chào' }, 'en'), 'Xin chào');
    assert.equal(localize({ vi: 'Xin chào', en: 'Hello' }, 'en'), 'Hello');
    assert.equal(localize({ vi: 'Xin chào', en: 'Hello' }, 'vi'), 'Xin chào');
  });
});
