import { afterEach, beforeEach, describe, it } from 'node:test';
import { elementUpdated, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define.js';
import type { QrSurvey } from '../src/qr-survey.js';
import { COUNTER_PRESET, PHONE_PRESET, type QuestionSet } from '../src/question-sets.js';
import { clearRatedDossiers } from '../src/rated-dossiers.js';
import { SubmissionQueue } from '../src/submission-queue.js';
import { control, deleteDatabase, fillLocalStorage, newEndpoint, stats, uniqueName, until } from './helpers.js';

/** jsQR is a UMD bundle: load it as a classic script. */
async function loadJsQR(): Promise<typeof import('jsqr').default> {
  const global = window as unknown as { jsQR?: typeof import('jsqr').default };
  if (!global.jsQR) {
    const script = document.createElement('script');
    script.src = '/node_modules/jsqr/dist/jsQR.js';
    document.head.append(script);
    await new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
  }
  return global.jsQR!;
}

/** Rasterises the widget's QR (its classes as fills) and decodes it with jsQR. */
async function decodeQrSvg(svgEl: SVGSVGElement): Promise<string> {
  const jsQR = await loadJsQR();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = svgEl.viewBox.baseVal.width * 6;
  const context = canvas.getContext('2d')!;
  const image = new Image();
  image.src = `data:image/svg+xml,${encodeURIComponent(new XMLSerializer().serializeToString(svgEl).replace('class="qr-light"', 'fill="#fff"').replace('class="qr-dark"', 'fill="#000"'))}`;
  await image.decode();
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(pixels.data, pixels.width, pixels.height)!.data;
}

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

describe('<qr-survey>', () => {
  let queue: SubmissionQueue;
  let endpoint: ReturnType<typeof newEndpoint>;
  beforeEach(() => {
    clearRatedDossiers();
    queue = new SubmissionQueue({ name: uniqueName('el'), baseMs: 60_000, maxMs: 60_000 });
    endpoint = newEndpoint();
  });
  afterEach(async () => {
    queue.stop();
    await deleteDatabase(queue.name);
  });

  const options = (el: QrSurvey, question = 0) => [
    ...el.shadowRoot!.querySelectorAll('[part~="question"]')[question]!.querySelectorAll<HTMLElement>('[role="radio"]'),
  ];
  const part = (el: QrSurvey, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
  const text = (el: QrSurvey) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');

  async function kiosk(attrs: { dossier?: string; resetDelay?: number; lockout?: number; lang?: string } = {}): Promise<QrSurvey> {
    return fixture<QrSurvey>(html`<qr-survey
      .queue=${queue}
      endpoint=${endpoint.url}
      counter="C1"
      counter-name="Quầy 1"
      officer="cb-07"
      officer-name="Nguyễn Thị Lan"
      dossier=${attrs.dossier ?? ''}
      reset-delay=${attrs.resetDelay ?? 60_000}
      lockout=${attrs.lockout ?? 0}
      lang=${attrs.lang ?? ''}
    ></qr-survey>`);
  }

  it('should show the counter preset: the official question, three levels, the officer and counter, nothing pre-selected', async () => {
    const el = await kiosk();
    expect(part(el, 'question-text')!.textContent).to.equal(COUNTER_PRESET.questions[0]!.text.vi);
    expect(options(el).map((o) => o.textContent!.trim())).to.deep.equal(['Rất hài lòng', 'Hài lòng', 'Không hài lòng']);
    expect(options(el).map((o) => o.getAttribute('aria-checked'))).to.deep.equal(['false', 'false', 'false']);
    expect(part(el, 'officer')!.textContent).to.equal('Công chức: Nguyễn Thị Lan · Quầy: Quầy 1');
    expect(part(el, 'submit')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('should use the configurable negative label and the five-level scale', async () => {
    const el = await kiosk();
    el.dissatisfiedLabel = 'Chưa hài lòng';
    await elementUpdated(el);
    expect(options(el).map((o) => o.textContent!.trim())).to.deep.equal(['Rất hài lòng', 'Hài lòng', 'Chưa hài lòng']);
    expect(options(el)[2]!.dataset.value).to.equal('dissatisfied');
    el.dissatisfiedLabel = '';
    el.levels = 5;
    await elementUpdated(el);
    expect(options(el).map((o) => o.textContent!.trim())).to.deep.equal(['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng']);
  });

  it('should rate in one tap, POST the submission with an Idempotency-Key, thank, and reset by itself', async () => {
    const el = await kiosk({ dossier: 'HS-001', resetDelay: 300 });
    const submitted = oneEvent(el, 'qr-survey-submit');
    // Listened for now: on a loaded machine the 300 ms may pass before the checks below are done.
    const resetEvent = oneEvent(el, 'qr-survey-reset');
    options(el)[0]!.click();
    await elementUpdated(el);
    expect(part(el, 'thanks')!.textContent).to.equal('Cảm ơn Ông/Bà đã đánh giá!');
    const { detail } = await submitted;
    expect(detail.status).to.equal(201);
    expect(detail.submission).to.deep.include({
      surveyId: 'counter',
      counter: 'C1',
      officer: 'cb-07',
      dossier: 'HS-001',
      answers: { attitude: 'very_satisfied' },
      locale: 'vi',
    });
    expect(detail.submission).to.not.have.any.keys('comment', 'contact', 'token');
    const server = await stats(endpoint.name);
    expect(server.keys).to.deep.equal([detail.key]);
    expect(server.bodies[0]).to.deep.equal(detail.submission);
    const reset = await resetEvent;
    expect(reset.detail.reason).to.equal('timeout');
    await elementUpdated(el);
    // One rating per dossier: after the reset the same dossier is refused.
    expect(part(el, 'thanks')!.textContent).to.equal('Hồ sơ đã được đánh giá.');
    expect(el.shadowRoot!.querySelector('[role="radio"]')).to.equal(null);
    // The next dossier may be rated.
    el.dossier = 'HS-002';
    await elementUpdated(el);
    expect(options(el)).to.have.length(3);
  });

  it('should refuse a second rating of the same dossier even from a new element (after a reload)', async () => {
    const first = await kiosk({ dossier: 'HS-9' });
    options(first)[1]!.click();
    await oneEvent(first, 'qr-survey-submit');
    const second = await kiosk({ dossier: 'HS-9' });
    expect(text(second)).to.contain('Hồ sơ đã được đánh giá.');
    expect(second.shadowRoot!.querySelector('[role="radio"]')).to.equal(null);
    expect((await stats(endpoint.name)).stored).to.equal(1);
  });

  it('should ignore repeated taps during the lock-out, then accept a new rating', async () => {
    const el = await kiosk({ resetDelay: 50, lockout: 600 });
    options(el)[0]!.click();
    options(el)[1]?.click(); // the same burst of taps
    await oneEvent(el, 'qr-survey-reset');
    await elementUpdated(el);
    expect(options(el)[0]!.getAttribute('aria-disabled')).to.equal('true');
    options(el)[2]!.click();
    await elementUpdated(el);
    expect(part(el, 'thanks')).to.equal(null);
    await until(() => options(el)[0]!.getAttribute('aria-disabled') === null, 3000, 'the lock-out to end');
    const submitted = oneEvent(el, 'qr-survey-submit');
    options(el)[2]!.click();
    await elementUpdated(el);
    expect(part(el, 'comment')).to.not.equal(null); // a low score offers the comment first
    part(el, 'skip')!.click();
    await submitted;
    const server = await stats(endpoint.name);
    expect(server.stored).to.equal(2);
    expect(server.bodies.map((body) => (body.answers as Record<string, string>).attitude)).to.deep.equal(['very_satisfied', 'dissatisfied']);
  });

  it('should offer the comment after a low score, with a limit, a privacy notice and an unticked contact opt-in', async () => {
    const el = await fixture<QrSurvey>(html`<qr-survey .queue=${queue} endpoint=${endpoint.url} counter="C2"></qr-survey>`);
    el.questionSet = { ...COUNTER_PRESET, contactOptIn: true, commentMaxLength: 20 };
    await elementUpdated(el);
    options(el)[2]!.click();
    await elementUpdated(el);
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    expect(textarea.maxLength).to.equal(20);
    expect(part(el, 'notice')!.textContent).to.contain('Xin không ghi thông tin cá nhân');
    const optIn = part(el, 'opt-in')!.querySelector('input')!;
    expect(optIn.checked).to.equal(false);
    // The step's styles come with its chunk: a full-width field, a touch-sized opt-in.
    expect(getComputedStyle(textarea).borderTopWidth).to.equal('2px');
    expect(textarea.getBoundingClientRect().width).to.be.closeTo(part(el, 'comment')!.getBoundingClientRect().width, 1);
    expect(part(el, 'opt-in')!.getBoundingClientRect().height).to.be.at.least(44);
    expect(part(el, 'contact')).to.equal(null);
    await expect(el).to.be.accessible();
    textarea.value = `  ${HOSTILE}  `;
    textarea.dispatchEvent(new Event('input'));
    optIn.click();
    await elementUpdated(el);
    const contact = part(el, 'contact')!.querySelector('input')!;
    contact.value = 'lan@example.vn';
    contact.dispatchEvent(new Event('input'));
    const submitted = oneEvent(el, 'qr-survey-submit');
    part(el, 'submit')!.click();
    const { detail } = await submitted;
    expect(detail.submission.answers).to.deep.equal({ attitude: 'dissatisfied' });
    expect(detail.submission.comment).to.equal(HOSTILE.trim().slice(0, 20));
    expect(detail.submission.contact).to.equal('lan@example.vn');
  });

  it('should send no comment and no contact after a positive one-tap score', async () => {
    const el = await kiosk();
    const submitted = oneEvent(el, 'qr-survey-submit');
    options(el)[1]!.click();
    const { detail } = await submitted;
    expect(detail.submission).to.not.have.any.keys('comment', 'contact');
    expect(detail.submission.answers).to.deep.equal({ attitude: 'satisfied' });
  });

  it('should follow the radio-group keyboard pattern: roving tabindex, arrows move and select, Space rates', async () => {
    const el = await kiosk();
    const radios = () => options(el);
    expect(radios().map((r) => r.tabIndex)).to.deep.equal([0, -1, -1]);
    expect(el.shadowRoot!.querySelector('[role="radiogroup"]')!.getAttribute('aria-labelledby')).to.equal(part(el, 'question-text')!.id);
    radios()[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await elementUpdated(el);
    expect(radios().map((r) => r.getAttribute('aria-checked'))).to.deep.equal(['false', 'true', 'false']);
    expect(radios().map((r) => r.tabIndex)).to.deep.equal([-1, 0, -1]);
    expect(el.shadowRoot!.activeElement).to.equal(radios()[1]);
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowLeft' });
    await elementUpdated(el);
    expect(radios().map((r) => r.getAttribute('aria-checked'))).to.deep.equal(['false', 'false', 'true']);
    expect(el.shadowRoot!.activeElement).to.equal(radios()[2]);
    await sendKeys({ press: 'Home' });
    await elementUpdated(el);
    expect(el.shadowRoot!.activeElement).to.equal(radios()[0]);
    // Arrows alone never send anything.
    expect((await stats(endpoint.name)).requests).to.equal(0);
    const submitted = oneEvent(el, 'qr-survey-submit');
    await sendKeys({ press: 'Space' });
    expect((await submitted).detail.submission.answers).to.deep.equal({ attitude: 'very_satisfied' });
  });

  it('should render every question of the phone preset and send only what was answered', async () => {
    const el = await fixture<QrSurvey>(
      html`<qr-survey .queue=${queue} endpoint=${endpoint.url} counter="C3" survey="phone" mode="phone" token="tok-77"></qr-survey>`,
    );
    const questions = [...el.shadowRoot!.querySelectorAll('[part~="question-text"]')].map((q) => q.textContent);
    expect(questions).to.deep.equal(PHONE_PRESET.questions.map((q) => q.text.vi));
    expect(el.shadowRoot!.querySelectorAll('[role="radiogroup"]')).to.have.length(6);
    expect(el.shadowRoot!.querySelectorAll('[aria-checked="true"]')).to.have.length(0);
    await expect(el).to.be.accessible();
    // Nothing answered: nothing sent.
    part(el, 'submit')!.click();
    await elementUpdated(el);
    expect(part(el, 'error')!.textContent).to.equal('Vui lòng chọn ít nhất một câu trả lời.');
    options(el, 0)[1]!.click();
    options(el, 3)[0]!.click();
    options(el, 5)[2]!.click();
    await elementUpdated(el);
    // The phone preset always offers the comment.
    expect(el.shadowRoot!.querySelector('textarea')).to.not.equal(null);
    const submitted = oneEvent(el, 'qr-survey-submit');
    part(el, 'submit')!.click();
    const { detail } = await submitted;
    expect(detail.submission).to.deep.include({ surveyId: 'phone', token: 'tok-77' });
    expect(detail.submission.answers).to.deep.equal({ contacts: 'once', attitude: 'helpful', overall: 'dissatisfied' });
    await elementUpdated(el);
    expect(part(el, 'thanks')).to.not.equal(null);
  });

  it('should show a follow-up question only when its condition holds, and drop its answer otherwise', async () => {
    const set: QuestionSet = {
      id: 'follow',
      questions: [
        { id: 'overall', text: { vi: 'Tổng thể' }, options: COUNTER_PRESET.questions[0]!.options },
        {
          id: 'why',
          text: { vi: 'Vì sao?' },
          showIf: { question: 'overall', values: ['dissatisfied'] },
          options: [
            { value: 'slow', label: { vi: 'Chậm' } },
            { value: 'rude', label: { vi: 'Thái độ' } },
          ],
        },
      ],
      comment: 'never',
    };
    const el = await fixture<QrSurvey>(html`<qr-survey .queue=${queue} .questionSet=${set} endpoint=${endpoint.url} mode="phone"></qr-survey>`);
    expect(el.shadowRoot!.querySelectorAll('[part~="question"]')).to.have.length(1);
    options(el, 0)[2]!.click();
    await elementUpdated(el);
    expect(el.shadowRoot!.querySelectorAll('[part~="question"]')).to.have.length(2);
    options(el, 1)[0]!.click();
    options(el, 0)[0]!.click();
    await elementUpdated(el);
    expect(el.shadowRoot!.querySelectorAll('[part~="question"]')).to.have.length(1);
    const submitted = oneEvent(el, 'qr-survey-submit');
    part(el, 'submit')!.click();
    expect((await submitted).detail.submission.answers).to.deep.equal({ overall: 'very_satisfied' });
  });

  it('should render hostile labels and comments as text', async () => {
    const set: QuestionSet = {
      id: HOSTILE,
      title: { vi: HOSTILE },
      questions: [
        {
          id: 'q',
          text: { vi: HOSTILE },
          options: [
            { value: 'a', label: { vi: HOSTILE }, tone: 'negative' },
            { value: 'b', label: { vi: 'ok' } },
          ],
        },
      ],
    };
    const el = await fixture<QrSurvey>(html`<qr-survey .queue=${queue} .questionSet=${set} endpoint=${endpoint.url} officer-name=${HOSTILE}></qr-survey>`);
    options(el)[0]!.click();
    await elementUpdated(el);
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.value = HOSTILE;
    textarea.dispatchEvent(new Event('input'));
    await elementUpdated(el);
    expect(el.shadowRoot!.querySelectorAll('img, script:not([type])')).to.have.length(0);
    expect(part(el, 'title')!.textContent).to.equal(HOSTILE);
    expect(part(el, 'officer')!.textContent).to.contain(HOSTILE);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    expect(textarea.value).to.equal(HOSTILE);
  });

  it('should speak English with lang="en"', async () => {
    const el = await kiosk({ lang: 'en' });
    expect(part(el, 'question-text')!.textContent).to.equal(COUNTER_PRESET.questions[0]!.text.en);
    expect(options(el).map((o) => o.textContent!.trim())).to.deep.equal(['Very satisfied', 'Satisfied', 'Dissatisfied']);
    expect(part(el, 'base')!.lang).to.equal('en');
    await expect(el).to.be.accessible();
    const submitted = oneEvent(el, 'qr-survey-submit');
    options(el)[0]!.click();
    expect((await submitted).detail.submission.locale).to.equal('en');
    expect(part(el, 'thanks')!.textContent).to.equal('Thank you for your rating!');
  });

  it('should follow the page language when it has none of its own', async () => {
    // Not fixture(): for a plain element it waits for an animation frame, which a background tab never gets.
    const wrapper = document.createElement('div');
    wrapper.lang = 'en-GB';
    document.body.append(wrapper);
    const el = document.createElement('qr-survey');
    el.queue = queue;
    el.endpoint = endpoint.url;
    wrapper.append(el);
    await elementUpdated(el);
    expect(part(el, 'title')!.textContent).to.equal('Rate our service');
    wrapper.remove();
  });

  it('should follow the lang of the host whose shadow root it is in', async () => {
    const host = document.createElement('div');
    host.lang = 'en';
    const inner = document.createElement('div');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    const el = document.createElement('qr-survey');
    el.queue = queue;
    el.endpoint = endpoint.url;
    inner.append(el);
    await elementUpdated(el);
    expect(part(el, 'title')!.textContent).to.equal('Rate our service');
    expect(part(el, 'base')!.lang).to.equal('en');
    host.remove();
  });

  it('should follow a change of <html lang> when nothing nearer has a lang', async () => {
    const htmlLang = document.documentElement.lang;
    const el = document.createElement('qr-survey');
    el.queue = queue;
    el.endpoint = endpoint.url;
    document.body.append(el);
    try {
      await elementUpdated(el);
      expect(part(el, 'title')!.textContent).to.equal('Đánh giá mức độ hài lòng');
      document.documentElement.lang = 'en';
      await until(() => part(el, 'title')!.textContent === 'Rate our service', 5000, 'English after <html lang="en">');
      document.documentElement.lang = 'vi';
      await until(() => part(el, 'title')!.textContent === 'Đánh giá mức độ hài lòng', 5000, 'Vietnamese after <html lang="vi">');
    } finally {
      document.documentElement.lang = htmlLang;
      el.remove();
    }
  });

  it('should follow its own lang set as a property, and go back to its context when it is cleared', async () => {
    const el = await kiosk();
    el.lang = 'en';
    await elementUpdated(el);
    await until(() => part(el, 'base')!.lang === 'en', 5000, 'English');
    expect(part(el, 'question-text')!.textContent).to.equal(COUNTER_PRESET.questions[0]!.text.en);
    el.lang = '';
    await until(() => part(el, 'base')!.lang === 'vi', 5000, 'Vietnamese again');
  });

  it('should say the rating is saved on this device when the endpoint is down, and deliver it later', async () => {
    await control(endpoint.name, { mode: 'down' });
    const el = await kiosk();
    const queued = oneEvent(el, 'qr-survey-queued');
    options(el)[0]!.click();
    const { detail } = await queued;
    expect(detail).to.include({ reason: 'network', persistent: true });
    await elementUpdated(el);
    expect(text(el)).to.contain('Đánh giá đã được lưu trên máy này và sẽ tự gửi khi có kết nối.');
    await control(endpoint.name, { mode: 'up' });
    const submitted = oneEvent(el, 'qr-survey-submit');
    await queue.flush();
    expect((await submitted).detail.key).to.equal(detail.key);
  });

  it('should show "already rated" once when the server says the token was used (409), and no thanks', async () => {
    const other = new SubmissionQueue({ name: uniqueName('other') });
    await other.submit(endpoint.url, {
      surveyId: 'counter',
      counter: 'C1',
      token: 'tok-1',
      answers: { attitude: 'satisfied' },
      locale: 'vi',
      submittedAt: new Date().toISOString(),
    });
    other.stop();
    await deleteDatabase(other.name);
    const el = await fixture<QrSurvey>(html`<qr-survey .queue=${queue} endpoint=${endpoint.url} counter="C1" token="tok-1"></qr-survey>`);
    const error = oneEvent(el, 'qr-survey-error');
    options(el)[0]!.click();
    const { detail } = await error;
    expect(detail).to.include({ reason: 'already-rated', status: 409, code: 'TOKEN_USED' });
    await elementUpdated(el);
    expect(text(el).split('Hồ sơ đã được đánh giá.')).to.have.length(2);
    expect(text(el)).to.not.contain('Cảm ơn');
    expect(text(el)).to.not.contain('TOKEN_USED');
  });

  for (const [status, words] of [
    [400, 'Đánh giá chưa được ghi nhận. Xin Ông/Bà vui lòng đánh giá lại.'],
    [422, 'Đánh giá chưa được ghi nhận. Xin Ông/Bà vui lòng đánh giá lại.'],
    [401, 'Phiên đánh giá này đã hết hạn.'],
  ] as const) {
    it(`should show one outcome for a rating refused with ${status}, in its own words, and let the dossier be rated again`, async () => {
      await control(endpoint.name, { mode: 'status', status, ...(status === 401 && { code: 'TOKEN_EXPIRED' }) });
      const el = await kiosk({ dossier: `HS-${status}`, lockout: 5000 });
      const error = oneEvent(el, 'qr-survey-error');
      options(el)[0]!.click();
      expect((await error).detail).to.include({ reason: 'rejected', status, message: `Test status ${status}` });
      await elementUpdated(el);
      expect(part(el, 'error')!.textContent).to.equal(words);
      // No thanks beside the refusal, no raw server message.
      expect(part(el, 'thanks')).to.equal(null);
      expect(text(el)).to.not.contain('Test status');
      expect(text(el)).to.not.contain('Cảm ơn');
      // The dossier is not "already rated": the question is offered again (no lock-out), and a new try is stored.
      expect(options(el)).to.have.length(3);
      expect(options(el)[0]!.getAttribute('aria-disabled')).to.equal(null);
      await control(endpoint.name, { mode: 'up' });
      const submitted = oneEvent(el, 'qr-survey-submit');
      options(el)[1]!.click();
      expect((await submitted).detail.status).to.equal(201);
    });
  }

  it('should not say "saved" when the device cannot keep the rating: it says so and tells the host', async () => {
    await control(endpoint.name, { mode: 'down' });
    queue.stop();
    queue = new SubmissionQueue({ name: uniqueName('full'), storage: 'localstorage', baseMs: 60_000, maxMs: 60_000 });
    const cleanup = fillLocalStorage(0);
    try {
      const el = await kiosk({ dossier: 'HS-full' });
      const queued = oneEvent(el, 'qr-survey-queued');
      const error = oneEvent(el, 'qr-survey-error');
      options(el)[0]!.click();
      expect((await queued).detail.persistent).to.equal(false);
      expect((await error).detail).to.include({ reason: 'unsaved' });
      await elementUpdated(el);
      expect(text(el)).to.contain('Chưa gửi được đánh giá và máy này không lưu được.');
      expect(text(el)).to.not.contain('đã được lưu');
      expect(text(el)).to.not.match(/setItem|Quota|Storage/);
      // While the page lives it still goes.
      await control(endpoint.name, { mode: 'up' });
      const submitted = oneEvent(el, 'qr-survey-submit');
      await queue.flush();
      await submitted;
      await elementUpdated(el);
      expect(text(el)).to.not.contain('Chưa gửi được');
    } finally {
      cleanup();
    }
  });

  it('should send the comment typed so far when the citizen walks away from it', async () => {
    const el = await fixture<QrSurvey>(html`<qr-survey .queue=${queue} endpoint=${endpoint.url} counter="C1" idle-timeout="300"></qr-survey>`);
    options(el)[2]!.click();
    await elementUpdated(el);
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.value = 'Phải chờ lâu, cán bộ';
    textarea.dispatchEvent(new Event('input'));
    const { detail } = await oneEvent(el, 'qr-survey-submit');
    expect(detail.submission.answers).to.deep.equal({ attitude: 'dissatisfied' });
    expect(detail.submission.comment).to.equal('Phải chờ lâu, cán bộ');
  });

  it('should abandon a half-made multi-question rating after the idle timeout', async () => {
    const el = await fixture<QrSurvey>(html`<qr-survey .queue=${queue} endpoint=${endpoint.url} survey="phone" idle-timeout="100"></qr-survey>`);
    options(el, 0)[0]!.click();
    await elementUpdated(el);
    const reset = await oneEvent(el, 'qr-survey-reset');
    expect(reset.detail.reason).to.equal('idle');
    await elementUpdated(el);
    expect(el.shadowRoot!.querySelectorAll('[aria-checked="true"]')).to.have.length(0);
    expect((await stats(endpoint.name)).requests).to.equal(0);
  });

  it('should still send a chosen low score when the citizen walks away from the comment', async () => {
    const el = await fixture<QrSurvey>(html`<qr-survey .queue=${queue} endpoint=${endpoint.url} idle-timeout="100"></qr-survey>`);
    const submitted = oneEvent(el, 'qr-survey-submit');
    options(el)[2]!.click();
    const { detail } = await submitted;
    expect(detail.submission.answers).to.deep.equal({ attitude: 'dissatisfied' });
    expect(detail.submission).to.not.have.any.keys('comment');
  });

  it('should report a missing endpoint and an invalid question set visibly', async () => {
    const el = await fixture<QrSurvey>(html`<qr-survey .queue=${queue}></qr-survey>`);
    expect(part(el, 'error')!.textContent).to.contain('endpoint');
    const error = oneEvent(el, 'qr-survey-error');
    el.questionSet = { id: 'x', questions: [] } as QuestionSet;
    expect((await error).detail.reason).to.equal('invalid-question-set');
    await elementUpdated(el);
    expect(part(el, 'error')!.textContent).to.contain('questions');
  });

  it('should show a locally drawn, scannable QR for the phone survey in mode="qr"', async () => {
    const el = await fixture<QrSurvey>(
      html`<qr-survey .queue=${queue} mode="qr" counter="C1" token="tok 1&x" phone-url="/phone/survey?counter=C1"></qr-survey>`,
    );
    await until(() => Boolean(part(el, 'qr')), 5000, 'the QR');
    const svgEl = part(el, 'qr') as unknown as SVGSVGElement;
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[role="radio"]')).to.equal(null);
    expect(svgEl.getBoundingClientRect().width).to.be.at.least(200);
    // Its styles come with the QR chunk: never under 200 px, dark modules black on white.
    expect(getComputedStyle(svgEl).minWidth).to.equal('200px');
    expect(getComputedStyle(svgEl.querySelector('.qr-dark')!).fill).to.equal('rgb(0, 0, 0)');
    const url = new URL(await decodeQrSvg(svgEl));
    expect(url.pathname).to.equal('/phone/survey');
    expect(url.searchParams.get('counter')).to.equal('C1');
    expect(url.searchParams.get('token')).to.equal('tok 1&x');
    await expect(el).to.be.accessible();
  });

  it("should put this rating's token and counter in the QR link, replacing stale ones", async () => {
    const el = await fixture<QrSurvey>(
      html`<qr-survey .queue=${queue} mode="qr" counter="C2" token="fresh" phone-url="https://dvc.example.vn/danh-gia?token=stale&counter=C9&lang=vi#top"></qr-survey>`,
    );
    await until(() => Boolean(part(el, 'qr')), 5000, 'the QR');
    const url = new URL(await decodeQrSvg(part(el, 'qr') as unknown as SVGSVGElement));
    expect(url.origin + url.pathname).to.equal('https://dvc.example.vn/danh-gia');
    expect(url.searchParams.getAll('token')).to.deep.equal(['fresh']);
    expect(url.searchParams.getAll('counter')).to.deep.equal(['C2']);
    expect(url.searchParams.get('lang')).to.equal('vi');
    expect(url.hash).to.equal('#top');
  });

  it('should name the counter in the QR link when counter-name is set, so the phone page shows which counter is rated', async () => {
    const el = await fixture<QrSurvey>(
      html`<qr-survey .queue=${queue} mode="qr" counter="C2" counter-name="Quầy 2 — Đất đai" token="fresh" phone-url="/danh-gia?counterName=Cũ"></qr-survey>`,
    );
    await until(() => Boolean(part(el, 'qr')), 5000, 'the QR');
    const url = new URL(await decodeQrSvg(part(el, 'qr') as unknown as SVGSVGElement));
    expect(url.searchParams.getAll('counterName')).to.deep.equal(['Quầy 2 — Đất đai']);
    el.counterName = 'Quầy 3';
    await until(
      async () => new URL(await decodeQrSvg(part(el, 'qr') as unknown as SVGSVGElement)).searchParams.get('counterName') === 'Quầy 3',
      5000,
      'redrawn',
    );
  });

  for (const phoneUrl of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.vn/danh-gia', 'http://[bad']) {
    it(`should refuse phone-url "${phoneUrl}" with an error event and no QR`, async () => {
      const el = document.createElement('qr-survey');
      const error = oneEvent(el, 'qr-survey-error');
      el.queue = queue;
      el.mode = 'qr';
      el.token = 't';
      el.phoneUrl = phoneUrl;
      document.body.append(el);
      expect((await error).detail.reason).to.equal('invalid-phone-url');
      await elementUpdated(el);
      expect(part(el, 'qr')).to.equal(null);
      expect(part(el, 'error')!.textContent).to.contain('http');
      // An address that was fine before and is refused now takes its QR away.
      el.phoneUrl = 'https://dvc.example.vn/danh-gia';
      await until(() => Boolean(part(el, 'qr')), 5000, 'the QR');
      el.phoneUrl = phoneUrl;
      await elementUpdated(el);
      expect(part(el, 'qr')).to.equal(null);
      el.remove();
    });
  }

  for (const [width, height] of [
    [1080, 1920],
    [1366, 768],
  ]) {
    it(`should fill a ${width}×${height} kiosk screen: type and answers scale with it, each level has its own face`, async () => {
      const frame = document.createElement('iframe');
      frame.style.cssText = `width:${width}px;height:${height}px;border:0`;
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      frame.src = `/packages/survey-widget/test/fixtures/kiosk-frame.html?${new URLSearchParams({ endpoint: endpoint.url, queue: uniqueName('kiosk') })}`;
      document.body.append(frame);
      await loaded;
      try {
        let el: QrSurvey | null | undefined;
        await until(() => Boolean((el = frame.contentDocument?.querySelector('qr-survey'))?.shadowRoot?.querySelector('[role="radio"]')), 10_000, 'the kiosk');
        const radios = options(el!);
        const view = frame.contentWindow!;
        const px = (element: Element, property: string) => parseFloat(view.getComputedStyle(element).getPropertyValue(property));
        // The question reads from a distance (the defaults were 16 px text and 56 px answers in the top 8%).
        expect(px(part(el!, 'question-text')!, 'font-size')).to.be.at.least(width === 1080 ? 36 : 26);
        for (const radio of radios) {
          const box = radio.getBoundingClientRect();
          expect(box.height).to.be.at.least(height * 0.07);
          expect(px(radio, 'font-size')).to.be.at.least(24);
          // …and all of it on the screen, nothing below the fold.
          expect(box.bottom).to.be.at.most(height);
        }
        // The card takes the screen it is given.
        expect(part(el!, 'base')!.getBoundingClientRect().height).to.be.at.least(height - 1);
        // More than colour: a face of its own (by shape) and words for every level.
        const mouths = radios.map((radio) => radio.querySelector('[part~="face"] path:last-child')!.getAttribute('d'));
        expect(new Set(mouths).size).to.equal(3);
        expect(radios.map((radio) => radio.textContent!.trim())).to.deep.equal(['Rất hài lòng', 'Hài lòng', 'Không hài lòng']);
        for (const radio of radios) expect(radio.querySelector('[part~="face"]')!.getAttribute('aria-hidden')).to.equal('true');
      } finally {
        frame.remove();
      }
    });
  }

  it('should render, rate and reset without Lit dev-mode warnings', async () => {
    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const el = await kiosk({ resetDelay: 10, lang: 'en' });
      options(el)[2]!.click();
      await elementUpdated(el);
      part(el, 'skip')!.click();
      await oneEvent(el, 'qr-survey-reset');
      await elementUpdated(el);
      el.mode = 'qr';
      el.phoneUrl = '/phone';
      await until(() => Boolean(part(el, 'qr')), 5000, 'the QR');
    } finally {
      console.warn = original;
    }
    expect(warnings.filter((args) => !String(args[0]).includes('Lit is in dev mode'))).to.deep.equal([]);
  });

  it('should survive a second registration of the tag (two copies on one page)', async () => {
    const { defineElement } = await import('@motcua/core/runtime');
    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      expect(defineElement('qr-survey', class extends HTMLElement {}, '9.9.9')).to.equal(false);
    } finally {
      console.warn = original;
    }
    expect(String(warnings[0]?.[0])).to.contain('<qr-survey> is already defined');
    const el = await kiosk();
    expect(options(el)).to.have.length(3);
  });
});
