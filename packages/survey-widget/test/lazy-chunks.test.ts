// What the CDN entry leaves to lazy chunks (English, the phone preset, the validator, the comment
// step) must be loaded BEFORE the paint that needs it: no Vietnamese flash on an English page, no
// counter question before the phone preset, no comment-less form before the comment step. Each test
// file runs in its own page, so these chunks are not loaded yet when each test starts (the order
// below keeps one test from loading another's chunk first).
import { afterEach, describe, it } from 'node:test';
import { expect } from '@open-wc/testing';
import '../src/define.js';
import type { QrSurvey } from '../src/qr-survey.js';
import { SubmissionQueue } from '../src/submission-queue.js';
import { uniqueName } from './helpers.js';

/** Connects a `<qr-survey>` and returns the shadow root's text after every update until it settles. */
async function paints(setup: (el: QrSurvey) => void): Promise<{ el: QrSurvey; texts: string[] }> {
  const el = document.createElement('qr-survey');
  el.queue = new SubmissionQueue({ name: uniqueName('lazy'), storage: 'memory' });
  el.endpoint = '/__test/survey/lazy/ratings';
  const texts: string[] = [];
  const hooks = el as unknown as { updated(changed: Map<PropertyKey, unknown>): void };
  const updated = hooks.updated.bind(el);
  hooks.updated = (changed) => {
    texts.push(el.shadowRoot!.textContent!.replace(/\s+/g, ' '));
    updated(changed);
  };
  setup(el);
  document.body.append(el);
  await el.updateComplete;
  return { el, texts };
}

describe('<qr-survey> lazy chunks', () => {
  afterEach(() => document.querySelectorAll('qr-survey').forEach((el) => el.remove()));

  it('should show a longer question set with its comment field from the first paint', async () => {
    const { el, texts } = await paints((el) => {
      el.questionSet = {
        id: 'two',
        questions: [
          {
            id: 'a',
            text: { vi: 'Câu A' },
            options: [
              { value: 'y', label: { vi: 'Có' } },
              { value: 'n', label: { vi: 'Không' } },
            ],
          },
          {
            id: 'b',
            text: { vi: 'Câu B' },
            options: [
              { value: 'y', label: { vi: 'Có' } },
              { value: 'n', label: { vi: 'Không' } },
            ],
          },
        ],
        comment: 'always',
      };
    });
    expect(texts.length).to.be.greaterThan(0);
    for (const text of texts) expect(text).to.include('Câu B').and.include('Phản ánh, kiến nghị');
    expect(el.shadowRoot!.querySelector('textarea')).to.not.equal(null);
  });

  it('should paint in English from the first paint with lang="en"', async () => {
    const { texts } = await paints((el) => {
      el.lang = 'en';
      el.officerName = 'Lan';
    });
    expect(texts.length).to.be.greaterThan(0);
    for (const text of texts) expect(text).to.include('Officer: Lan').and.not.include('Công chức');
  });

  it('should show the phone preset, never the counter question, from the first paint', async () => {
    const { el, texts } = await paints((el) => {
      el.survey = 'phone';
      el.mode = 'phone';
    });
    expect(texts.length).to.be.greaterThan(0);
    for (const text of texts) {
      expect(text).to.include('Số lần phải liên hệ').and.not.include('thái độ công chức khi hướng dẫn và tiếp nhận');
    }
    expect(el.shadowRoot!.querySelectorAll('[part~="question"]')).to.have.length(6);
  });
});

describe('<qr-survey> when the queue chunk cannot be loaded', () => {
  afterEach(() => document.querySelectorAll('qr-survey').forEach((el) => el.remove()));

  it('should not thank, not count the dossier as rated, report the error, and let the citizen rate again', async () => {
    const dossier = uniqueName('dossier');
    const el = document.createElement('qr-survey');
    el.endpoint = '/__test/survey/lazy/ratings';
    el.counter = 'C1';
    el.dossier = dossier;
    // As if the device went offline between loading the CDN file and its queue chunk.
    (el as unknown as { _ratings(): Promise<never> })._ratings = () => Promise.reject(new Error('chunk failed to load'));
    document.body.append(el);
    await el.updateComplete;
    const errors: CustomEvent[] = [];
    el.addEventListener('qr-survey-error', (event) => errors.push(event as CustomEvent));
    el.shadowRoot!.querySelector<HTMLElement>('[role="radio"]')!.click();
    for (let i = 0; i < 50 && !errors.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await el.updateComplete;
    expect(errors.map((event) => event.detail.reason)).to.deep.equal(['storage']);
    expect(errors[0]!.detail.message).to.equal('chunk failed to load');
    // On screen: the widget's own words, never the browser's.
    expect(el.shadowRoot!.textContent).to.include('Đánh giá chưa được ghi nhận. Xin Ông/Bà vui lòng đánh giá lại.');
    expect(el.shadowRoot!.textContent).to.not.include('chunk failed to load');
    // The question is offered again, and a fresh element for the same dossier is not "already rated".
    expect(el.shadowRoot!.querySelector('[role="radio"]')).to.not.equal(null);
    const again = document.createElement('qr-survey');
    again.counter = 'C1';
    again.dossier = dossier;
    document.body.append(again);
    await again.updateComplete;
    expect(again.shadowRoot!.querySelector('[role="radio"]')).to.not.equal(null);
  });
});
