import { LitElement, html, nothing, svg, type CSSResult, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { SurveySubmission } from '@motcua/core';
import { emit, LoadController, LocaleController, type Need } from '@motcua/core/runtime';
import { commentStep, english, lazyPresets, notices, qrMode, ratingSubmissions, sharedQueue, validator } from './chunks.js';
import { KioskTimers } from './kiosk-timers.js';
import { COUNTER_PRESET, Satisfaction, localize, satisfactionScale, type QuestionSet, type SurveyOption, type SurveyQuestion } from './questions.js';
import { forgetDossierRated, isDossierRated, markDossierRated } from './rated-dossiers.js';
import { vi, type Strings } from './strings.js';
import { styles } from './styles.js';
import type { PhoneQr } from './qr-mode.js';
import type { RatingSubmissions } from './rating-submissions.js';
import type { SubmissionQueue } from './submission-queue.js';

/** `qr-survey-submit`: the server stored the rating (or already had it). */
export interface QrSurveySubmitDetail {
  key: string;
  submission: SurveySubmission;
  status: number;
  id?: string;
  repeat: boolean;
}
/** `qr-survey-queued`: the rating could not be sent now and will be retried. */
export interface QrSurveyQueuedDetail {
  key: string;
  submission: SurveySubmission;
  reason: string;
  /** `true`: stored on this device. `false`: in this page's memory only (lost if it closes first); `qr-survey-error` `unsaved` fires too. */
  persistent: boolean;
}
/** Why `qr-survey-error` fired. */
export type QrSurveyErrorReason =
  | 'rejected'
  | 'already-rated'
  | 'unsaved'
  | 'invalid-question-set'
  | 'no-endpoint'
  | 'no-phone-url'
  | 'invalid-phone-url'
  | 'qr'
  | 'storage';
/** `qr-survey-error`: something the host should know; the widget shows it too. */
export interface QrSurveyErrorDetail {
  reason: QrSurveyErrorReason;
  message: string;
  status?: number;
  code?: string;
  key?: string;
}
/** `qr-survey-reset`: the widget is back to its first screen. */
export interface QrSurveyResetDetail {
  reason: 'timeout' | 'idle' | 'dossier' | 'manual';
}

/** Where the widget is used: the counter's touch screen, a QR to rate on one's own phone, or the phone page itself. */
export type SurveyMode = 'kiosk' | 'qr' | 'phone';

type View = 'ask' | 'comment' | 'thanks' | 'rated' | 'qr';

const SATISFACTION_VALUES: readonly string[] = Object.values(Satisfaction);

/**
 * The mouth of the face beside each answer, so that levels differ by more than colour: by stored value
 * on the satisfaction scales, else by tone.
 */
const MOUTHS: Record<string, string> = {
  very_satisfied: 'M6.5 13q5.5 7 11 0z',
  satisfied: 'M8 14q4 4 8 0',
  neutral: 'M8 15.5h8',
  dissatisfied: 'M8 17q4-4 8 0',
  very_dissatisfied: 'M7 18q5-7 10 0',
};
const TONE_FACES: Record<string, string> = { positive: 'satisfied', negative: 'dissatisfied' };

/** Adds a lazy chunk's styles to `root`, after the element's own (Lit's constructable sheet, one for every element: CSP-safe). */
function adoptChunkStyles(root: HTMLElement | DocumentFragment, styles: CSSResult): void {
  const sheet = styles.styleSheet;
  if (root instanceof ShadowRoot && sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/**
 * A satisfaction rating that loses nothing: one tap on the counter's screen, or a QR that opens the
 * survey on the citizen's phone. Ratings go through a persistent {@link SubmissionQueue}.
 *
 * @summary Satisfaction rating for one-stop counters (kiosk, QR, phone).
 *
 * @event qr-survey-submit - {@link QrSurveySubmitDetail}: the server stored the rating.
 * @event qr-survey-queued - {@link QrSurveyQueuedDetail}: not sent yet, will be retried (`persistent`: kept on the device).
 * @event qr-survey-error - {@link QrSurveyErrorDetail}: rejected, already rated, not kept on the device (`unsaved`), bad configuration.
 * @event qr-survey-reset - {@link QrSurveyResetDetail}: back to the first screen.
 *
 * @csspart base - The card.
 * @csspart title - The question set's title.
 * @csspart officer - The officer's name and counter.
 * @csspart question - One question (text and options).
 * @csspart question-text - The question's wording.
 * @csspart options - The radio group.
 * @csspart option - One answer; also `option-positive`, `option-neutral`, `option-negative`.
 * @csspart face - The face drawn in each answer (its shape tells the level, with the words and the tone colour).
 * @csspart comment - The comment field's label and textarea.
 * @csspart notice - The "no personal data" notice and character count.
 * @csspart opt-in - The contact opt-in checkbox.
 * @csspart contact - The contact field.
 * @csspart actions - The buttons row.
 * @csspart submit - The send button.
 * @csspart skip - The skip-comment button.
 * @csspart thanks - The thank-you message.
 * @csspart error - Any error message.
 * @csspart qr - The QR code (an SVG).
 * @csspart qr-caption - The text under the QR.
 *
 * @cssproperty --motcua-font-family
 * @cssproperty --motcua-font-size
 * @cssproperty --motcua-color-text
 * @cssproperty --motcua-color-background
 * @cssproperty --motcua-color-muted
 * @cssproperty --motcua-color-border
 * @cssproperty --motcua-color-primary - Selected answer and send button.
 * @cssproperty --motcua-color-on-primary
 * @cssproperty --motcua-color-positive
 * @cssproperty --motcua-color-neutral
 * @cssproperty --motcua-color-negative
 * @cssproperty --motcua-focus-ring
 * @cssproperty --motcua-radius
 * @cssproperty --motcua-space
 * @cssproperty --motcua-qr-size - Default 240px, never under 200px.
 * @cssproperty --motcua-survey-target-size - Height of an answer. Default 3.5rem.
 */
export class QrSurvey extends LitElement {
  static override styles = styles;

  /** The language: the element's own, the nearest `lang` across shadow roots, `<html lang>` (English once its words have loaded). */
  private readonly _language = new LocaleController(this, { isLoaded: (locale) => locale === 'vi' || Boolean(english.value), load: english.load });
  /** The chunks a paint needs that the entry file does not carry, loaded before that paint (see {@link _needs}). */
  private readonly _loads = new LoadController(this, () => this._needs());
  private readonly _timers = new KioskTimers(this, { onThanksTimeout: () => this._reset('timeout'), onIdle: () => this._handleIdle() });

  // Private reactive state is declared here, not with `@state()`: the CDN build renames `_` members,
  // and a decorator passes the field's name as a string it cannot rename (CONTRIBUTING.md).
  static override properties: PropertyDeclarations = {
    _view: { state: true },
    _answers: { state: true },
    _comment: { state: true },
    _contactOptIn: { state: true },
    _contact: { state: true },
    _message: { state: true },
  };
  private _view: View = 'ask';
  private _answers: Record<string, string> = {};
  private _comment = '';
  private _contactOptIn = false;
  private _contact = '';
  private _message = '';

  /** URL the rating is POSTed to (relative URLs resolve against the page). */
  @property() endpoint = '';
  /** Counter id, sent as `counter`. */
  @property() counter = '';
  /** Counter name shown to the citizen (display only). */
  @property({ attribute: 'counter-name' }) counterName = '';
  /** Officer id, sent as `officer`. */
  @property() officer = '';
  /** Officer name shown with the question (display only). */
  @property({ attribute: 'officer-name' }) officerName = '';
  /** Dossier code: one rating per dossier. */
  @property() dossier = '';
  /** One-time token from the host or gateway, sent as `token`. */
  @property() token = '';
  /** Preset id: `counter` (default) or `phone`. Ignored when `questionSet` is set. */
  @property() survey = 'counter';
  /** A question set as JSON (see the README's schema); overrides `survey`. */
  @property({ attribute: false }) questionSet: QuestionSet | undefined = undefined;
  /** `kiosk` (default), `qr` (show a QR opening `phone-url`), `phone` (the citizen's own phone: no resets). */
  @property({ reflect: true }) mode: SurveyMode = 'kiosk';
  /** For `mode="qr"`: the phone survey URL (http or https); `token` and `counter` are set as its query parameters. */
  @property({ attribute: 'phone-url' }) phoneUrl = '';
  /** Kiosk: ms from thank-you to the next rating. Default 6000. */
  @property({ attribute: 'reset-delay', type: Number }) resetDelay = 6000;
  /** Kiosk: ms without a touch before a half-made rating is abandoned. Default 60000. */
  @property({ attribute: 'idle-timeout', type: Number }) idleTimeout = 60_000;
  /** Kiosk: ms after a rating during which taps are ignored. Default 5000. */
  @property({ type: Number }) lockout = 5000;
  /** Use the 3- or 5-level satisfaction scale for satisfaction questions. Default: as the question set says. */
  @property({ type: Number }) levels: 3 | 5 | undefined = undefined;
  /** Label of the negative answer of the 3-level scale, e.g. `Chưa hài lòng` (stored as `dissatisfied`). */
  @property({ attribute: 'dissatisfied-label' }) dissatisfiedLabel = '';
  /** The queue ratings go through. Default: {@link SubmissionQueue.shared}. */
  @property({ attribute: false }) queue: SubmissionQueue | undefined = undefined;

  /**
   * `vi` (default) or `en`; otherwise follows the nearest `lang` and then `<html lang>`.
   * @default ''
   */
  @property()
  override get lang(): string {
    return this.getAttribute('lang') ?? '';
  }
  override set lang(value: string) {
    // Kept in the attribute, which the locale controller reads (and follows); '' removes it, so
    // that the nearest `lang` and `<html lang>` apply again.
    if (!value) this.removeAttribute('lang');
    else if (value !== this.getAttribute('lang')) this.setAttribute('lang', value);
  }

  /** The ratings handed to the queue, from their chunk (created when the element first connects). */
  private _submissions?: RatingSubmissions;
  /** `mode="qr"`: the QR on screen, from the QR chunk (created once it is loaded). */
  private _phoneQr?: PhoneQr;
  // Derived in willUpdate from the properties and the loaded chunks, before the render that reads them.
  private _set: QuestionSet = COUNTER_PRESET;
  private _setError = '';
  private _reportedConfig = '';
  private _noticesFailed = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // A chunk that fails to load here is tried again, and reported, by the first rating.
    this._ratings().catch(() => {});
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('mode') || changed.has('phoneUrl') || changed.has('token')) {
      if (this.mode === 'qr') {
        this._view = 'qr';
        // Loaded only when a QR is shown, so the kiosk bundle stays small.
        qrMode.load().then(
          (chunk) => {
            this._phoneQr ??= new chunk.PhoneQr(this, (error) => this._handleQrResult(error));
            this.requestUpdate();
          },
          (error: unknown) => this._handleQrResult(error),
        );
      } else if (this._view === 'qr') {
        this._view = 'ask';
      }
    }
    if (changed.has('questionSet') || changed.has('survey') || changed.has('levels') || changed.has('dissatisfiedLabel')) {
      this._resolveQuestionSet();
    }
    if ((changed.has('dossier') || changed.has('counter') || changed.has('questionSet') || changed.has('survey')) && this.mode !== 'qr') {
      const wasRated = this._view === 'rated';
      if (this._isRated()) {
        if (this._view === 'ask') this._view = 'rated';
      } else if (wasRated) {
        this._reset('dossier');
      } else if (changed.has('dossier') && changed.get('dossier') !== undefined && this._view !== 'thanks') {
        this._reset('dossier');
      }
    }
    // The styles of the lazy parts about to show, before this render paints.
    if (commentStep.value) adoptChunkStyles(this.renderRoot, commentStep.value.commentStyles);
    if (qrMode.value) adoptChunkStyles(this.renderRoot, qrMode.value.qrModeStyles);
  }

  protected override scheduleUpdate(): void | Promise<void> {
    return this._loads.scheduleUpdate(() => super.scheduleUpdate());
  }

  /**
   * The chunks the next paint needs. Asked again once they have loaded: whether the comment step is
   * needed depends on the question set a chunk may bring. A chunk that fails to load is reported by
   * willUpdate (invalid question set) or falls back (vi).
   */
  private _needs(): Need[] {
    const preset = this.questionSet ? undefined : lazyPresets[this.survey];
    // The step is shown after a one-tap rating, or under the questions of a longer set.
    const set = this.questionSet ?? preset?.value ?? COUNTER_PRESET;
    const mayShowComment = this._view === 'comment' || (set && set.questions?.length > 1 && set.comment !== 'never');
    return [
      this.questionSet && validator,
      preset,
      this._language.pending,
      // The QR chunk also checks phone-url, before the first paint of a QR.
      this.mode === 'qr' && qrMode,
      mayShowComment && commentStep,
    ];
  }

  protected override updated(): void {
    // Fetched ahead, after the paint, so a low score on a one-tap kiosk shows the comment step at once.
    if (this._set.comment !== 'never' && !commentStep.value) commentStep.load().catch(() => {});
    const config = this._configError();
    // Reported in words: the first time, once they are loaded (if they cannot be, by their code).
    if (config && !notices.value && !this._noticesFailed) {
      notices
        .load()
        .catch(() => (this._noticesFailed = true))
        .finally(() => this.requestUpdate());
    } else if (config && config.message !== this._reportedConfig) {
      this._reportedConfig = config.message;
      emit(this, 'qr-survey-error', config);
    } else if (!config) {
      this._reportedConfig = '';
    }
  }

  /** Abandons the current rating (nothing is sent) and shows the first screen. */
  reset(): void {
    this._reset('manual');
  }

  // ---- question set -------------------------------------------------------------------------

  private _resolveQuestionSet(): void {
    this._setError = '';
    let set: QuestionSet;
    try {
      const lazyPreset = lazyPresets[this.survey];
      if (this.questionSet) {
        if (!validator.value) throw new Error('the question-set validator could not be loaded');
        set = validator.value(this.questionSet);
      } else if (lazyPreset) {
        if (!lazyPreset.value) throw new Error(`the "${this.survey}" preset could not be loaded`);
        set = lazyPreset.value;
      } else {
        set = COUNTER_PRESET;
      }
    } catch (error) {
      this._setError = (error as Error).message;
      return;
    }
    if (this.levels === 3 || this.levels === 5 || this.dissatisfiedLabel) {
      const levels = this.levels === 5 ? 5 : 3;
      const dissatisfiedLabel = this.dissatisfiedLabel ? { vi: this.dissatisfiedLabel, en: this.dissatisfiedLabel } : undefined;
      set = {
        ...set,
        questions: set.questions.map((question) =>
          question.options.every((option) => SATISFACTION_VALUES.includes(option.value))
            ? { ...question, options: satisfactionScale(levels, { dissatisfiedLabel }) }
            : question,
        ),
      };
    }
    this._set = set;
    this._answers = {};
  }

  private get _locale() {
    return this._language.locale;
  }

  /** The widget's words; English falls back to Vietnamese only when its module could not be loaded. */
  private get _strings(): Strings {
    return (this._locale === 'en' && english.value) || vi;
  }

  private _visibleQuestions(): SurveyQuestion[] {
    return this._set.questions.filter((question) => !question.showIf || question.showIf.values.includes(this._answers[question.showIf.question] ?? ''));
  }

  /** One visible question: a tap is the rating. */
  private _isOneTap(): boolean {
    return this._set.questions.length === 1;
  }

  private _hasLowAnswer(): boolean {
    return this._visibleQuestions().some((question) => question.options.find((option) => option.value === this._answers[question.id])?.tone === 'negative');
  }

  private _offersComment(): boolean {
    const policy = this._set.comment ?? 'low';
    return policy === 'always' || (policy === 'low' && this._hasLowAnswer());
  }

  private _isRated(): boolean {
    return Boolean(this.dossier) && isDossierRated(this._set.id, this.counter, this.dossier);
  }

  /** A set-up problem, in words once the notices chunk is loaded (see updated()). */
  private _configError(): QrSurveyErrorDetail | undefined {
    const setError = this._setError;
    const reason = setError
      ? 'invalid-question-set'
      : this.mode === 'qr'
        ? this.phoneUrl
          ? this._qrUrl() === ''
            ? 'invalid-phone-url'
            : undefined
          : 'no-phone-url'
        : this.endpoint
          ? undefined
          : 'no-endpoint';
    if (!reason) return undefined;
    const words = notices.value?.[this._locale][reason] ?? reason;
    return { reason, message: setError ? `${words}: ${setError}` : words };
  }

  // ---- rating ---------------------------------------------------------------------------------

  private _choose(question: SurveyQuestion, option: SurveyOption, commit: boolean): void {
    if (this._view !== 'ask' || this._timers.locked) return;
    const answers = { ...this._answers, [question.id]: option.value };
    // A follow-up whose condition no longer holds must not keep its answer.
    for (const q of this._set.questions) {
      if (q.showIf && !q.showIf.values.includes(answers[q.showIf.question] ?? '')) delete answers[q.id];
    }
    this._answers = answers;
    this._message = '';
    this._timers.touch();
    if (commit && this._isOneTap()) {
      if (this._offersComment()) this._view = 'comment';
      else this._rate();
    }
  }

  private _rate(): void {
    const config = this._configError();
    if (config) {
      this._message = config.message;
      return;
    }
    const visible = new Set(this._visibleQuestions().map((question) => question.id));
    const answers = Object.fromEntries(Object.entries(this._answers).filter(([id]) => visible.has(id)));
    if (!Object.keys(answers).length) {
      this._message = this._strings.needAnswer;
      return;
    }
    if (this._isRated()) {
      this._view = 'rated';
      return;
    }
    const comment = this._offersComment() ? this._comment.trim().slice(0, this._commentMax()) : '';
    const contact = comment && this._set.contactOptIn && this._contactOptIn ? this._contact.trim().slice(0, 200) : '';
    const submission: SurveySubmission = {
      surveyId: this._set.id,
      counter: this.counter,
      ...(this.officer && { officer: this.officer }),
      ...(this.dossier && { dossier: this.dossier }),
      ...(this.token && { token: this.token }),
      answers,
      ...(comment && { comment }),
      ...(contact && { contact }),
      locale: this._locale,
      submittedAt: new Date().toISOString(),
    };
    if (this.dossier) markDossierRated(this._set.id, this.counter, this.dossier);
    this._view = 'thanks';
    this._message = '';
    this._timers.rated();
    const endpoint = new URL(this.endpoint, document.baseURI).href;
    // The key is minted now, with the rating, and travels with it through every retry.
    const key = crypto.randomUUID();
    this._ratings()
      .then((ratings) => ratings.submit(endpoint, submission, key))
      .catch((error: unknown) => {
        // Only when a chunk (the queue's, or this glue's) could not be loaded, e.g. offline with a cold
        // cache: nothing was stored, so do not thank, do not count the dossier as rated, and let the citizen try again.
        this._handleRefused(submission, key);
        emit(this, 'qr-survey-error', { reason: 'storage', message: `${(error as Error)?.message ?? error}`, key });
      });
  }

  private _reset(reason: QrSurveyResetDetail['reason']): void {
    this._answers = {};
    this._comment = '';
    this._contact = '';
    this._contactOptIn = false;
    this._message = '';
    if (this._submissions) this._submissions.note = '';
    this._view = this.mode === 'qr' ? 'qr' : this._isRated() ? 'rated' : 'ask';
    this._timers.reset();
    emit(this, 'qr-survey-reset', { reason });
  }

  /** Kiosk: a half-made rating is abandoned after `idle-timeout`; a chosen score is still sent, with what was typed. */
  private _handleIdle(): void {
    if (this._view === 'comment') this._rate();
    else if (this._view === 'ask' && Object.keys(this._answers).length) this._reset('idle');
  }

  /**
   * The queue gave a rating back: refused by the server (`status`), or never stored (no `status`: the
   * queue's chunk could not be loaded). One outcome on screen, in the widget's own words (the
   * server's message goes to the host only); refused for another reason than "already rated", the
   * dossier may be rated again.
   */
  private _handleRefused(submission: SurveySubmission, key: string, status?: number): void {
    const alreadyRated = status === 409;
    if (!alreadyRated && submission.dossier) forgetDossierRated(submission.surveyId, submission.counter, submission.dossier);
    if (status === undefined || (key === this._submissions?.lastKey && (this._view === 'thanks' || this._view === 'rated'))) {
      this._message = alreadyRated ? '' : (status === 401 && notices.value?.[this._locale].expired) || this._strings.rejected;
      this._view = alreadyRated ? 'rated' : 'ask';
      this._timers.cancel();
    } else if (this._view === 'rated' && !this._isRated()) {
      this._view = 'ask';
    }
  }

  /** The controller of the ratings handed to the queue, once its chunk is loaded. */
  private async _ratings(): Promise<RatingSubmissions> {
    const { RatingSubmissions } = await ratingSubmissions.load();
    this._submissions ??= new RatingSubmissions(this, {
      locale: () => this._locale,
      onRefused: (...args) => this._handleRefused(...args),
      emit,
      notices,
      sharedQueue,
    });
    return this._submissions;
  }

  private _handleQrResult(error?: unknown): void {
    this._message = error ? this._strings.qrError : '';
    if (error) emit(this, 'qr-survey-error', { reason: 'qr', message: (error as Error)?.message ?? String(error) });
  }

  /** The phone survey's link (see qr-mode's phoneLink), once the QR chunk is loaded; '' when refused. */
  private _qrUrl(): string | undefined {
    return qrMode.value?.phoneLink(this.phoneUrl, document.baseURI, this.token, this.counter, this.counterName);
  }

  private _commentMax(): number {
    return this._set.commentMaxLength ?? 500;
  }

  // ---- keyboard -------------------------------------------------------------------------------

  private _handleOptionKey(event: KeyboardEvent, question: SurveyQuestion, index: number): void {
    const last = question.options.length - 1;
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = index === last ? 0 : index + 1;
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = index === 0 ? last : index - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      case ' ':
      case 'Enter':
        event.preventDefault();
        this._choose(question, question.options[index]!, true);
        return;
      default:
        return;
    }
    event.preventDefault();
    // Arrows move and select; in one-tap mode the rating is made by Space, Enter or a tap.
    this._choose(question, question.options[next]!, false);
    const group = (event.currentTarget as HTMLElement).parentElement;
    void this.updateComplete.then(() => (group?.children[next] as HTMLElement | undefined)?.focus());
  }

  private _skipComment(): void {
    this._comment = '';
    this._contactOptIn = false;
    this._contact = '';
    this._rate();
  }

  // ---- render ---------------------------------------------------------------------------------

  private _renderQuestion(question: SurveyQuestion, index: number): TemplateResult {
    const chosen = this._answers[question.id];
    const locked = this._timers.locked;
    const focusIndex = Math.max(
      0,
      question.options.findIndex((option) => option.value === chosen),
    );
    const textId = `q${index}`;
    return html`<div part="question">
      <p part="question-text" id=${textId}>${localize(question.text, this._locale)}</p>
      <div part="options" role="radiogroup" aria-labelledby=${textId} aria-disabled=${locked ? 'true' : nothing}>
        ${question.options.map(
          (option, optionIndex) => html`<div
            role="radio"
            part="option option-${option.tone ?? 'neutral'}"
            aria-checked=${option.value === chosen ? 'true' : 'false'}
            aria-disabled=${locked ? 'true' : nothing}
            tabindex=${optionIndex === focusIndex ? '0' : '-1'}
            data-value=${option.value}
            @click=${() => this._choose(question, option, true)}
            @keydown=${(event: KeyboardEvent) => this._handleOptionKey(event, question, optionIndex)}
          >
            ${svg`<svg part="face" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="10"></circle><path class="eye" d="M8.5 9.5h0m7 0h0"></path><path d=${MOUTHS[option.value] ?? MOUTHS[TONE_FACES[option.tone!] ?? 'neutral']}></path></svg>`}
            <span>${localize(option.label, this._locale)}</span>
          </div>`,
        )}
      </div>
    </div>`;
  }

  private _renderComment(): TemplateResult | typeof nothing {
    // Without its chunk (it could not be loaded) the step offers Send and Skip only: the rating still goes.
    const step = commentStep.value;
    if (!step) return nothing;
    return step.renderCommentStep({
      locale: this._locale,
      max: this._commentMax(),
      afterLow: this._hasLowAnswer(),
      offersContact: Boolean(this._set.contactOptIn),
      comment: this._comment,
      contactOptIn: this._contactOptIn,
      contact: this._contact,
      onComment: (value) => {
        this._comment = value;
        this._timers.touch();
      },
      onContactOptIn: (checked) => (this._contactOptIn = checked),
      onContact: (value) => (this._contact = value),
    });
  }

  private _renderHeader(): TemplateResult {
    const s = this._strings;
    const who = [
      this.officerName && `${s.officer}: ${this.officerName}`,
      (this.counterName || this.counter) && `${s.counter}: ${this.counterName || this.counter}`,
    ]
      .filter(Boolean)
      .join(' · ');
    return html`${this._set.title ? html`<h2 part="title">${localize(this._set.title, this._locale)}</h2>` : nothing}
    ${who ? html`<p part="officer">${who}</p>` : nothing}`;
  }

  private _renderBody(): TemplateResult | typeof nothing {
    const s = this._strings;
    switch (this._view) {
      case 'qr': {
        const drawing = this._phoneQr?.drawing;
        return drawing && qrMode.value ? qrMode.value.renderQr(drawing, this._locale) : nothing;
      }
      case 'thanks': {
        const note = this._submissions?.note;
        return html`<p part="thanks">${s.thanks}</p>
          ${note ? html`<p part="notice">${note}</p>` : nothing}`;
      }
      case 'rated':
        return html`<p part="thanks">${s.rated}</p>`;
      case 'comment':
        return html`${this._renderComment()}
          <div part="actions">
            <button part="submit" type="button" @click=${this._rate}>${s.send}</button>
            <button part="skip" type="button" @click=${this._skipComment}>${s.skip}</button>
          </div>`;
      default:
        return html`${this._visibleQuestions().map((question, index) => this._renderQuestion(question, index))}
        ${
          this._isOneTap()
            ? nothing
            : html`${this._offersComment() ? this._renderComment() : nothing}
              <div part="actions"><button part="submit" type="button" @click=${this._rate}>${s.send}</button></div>`
        }`;
    }
  }

  protected override render(): TemplateResult {
    const config = this._configError();
    const message = config?.message ?? this._message;
    return html`<section part="base" lang=${this._locale} @pointerdown=${() => this._timers.touch()}>
      ${this._renderHeader()} ${config?.reason === 'invalid-question-set' ? nothing : this._renderBody()}
      <p part="error" role="alert">${message}</p>
      <p class="visually-hidden" role="status">${this._timers.locked && this._view === 'ask' ? this._strings.wait : ''}</p>
    </section>`;
  }
}

/** The events of `<qr-survey>`, for typed listeners. */
export interface QrSurveyEventMap {
  'qr-survey-submit': CustomEvent<QrSurveySubmitDetail>;
  'qr-survey-queued': CustomEvent<QrSurveyQueuedDetail>;
  'qr-survey-error': CustomEvent<QrSurveyErrorDetail>;
  'qr-survey-reset': CustomEvent<QrSurveyResetDetail>;
}
