// The ratings an element has handed to its queue, as a Lit reactive controller: it listens to the
// queue in use (the host's `queue`, else the page's shared one) while the element is connected, says
// under the thank-you what became of the rating on screen, and announces every outcome as the
// element's events. The queue itself (storage, retries) is submission-queue.ts. A lazy chunk, loaded
// when the element connects: it imports nothing at run time (what it uses of the entry comes in its
// options), because a chunk that imported from the CDN entry would turn that entry into a facade.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SurveySubmission } from '@motcua/core';
import type { emit, Lazy, Locale } from '@motcua/core/runtime';
import type { NOTICES } from './notices.js';
import type { QueuedDetail, RejectedDetail, SentDetail, StorageDetail, SubmissionQueue } from './submission-queue.js';

/** What the controller reads of its element. */
export interface RatingSubmissionsHost extends ReactiveControllerHost, HTMLElement {
  queue: SubmissionQueue | undefined;
}

export interface RatingSubmissionsOptions {
  /** The language of the notes. */
  locale(): Locale;
  /** The server refused the rating `key` with `status`. */
  onRefused(submission: SurveySubmission, key: string, status: number): void;
  /** Core's `emit`, the entry's copy. */
  emit: typeof emit;
  /** The notices chunk (chunks.ts). */
  notices: Lazy<typeof NOTICES>;
  /** The page's shared queue (chunks.ts). */
  sharedQueue(): Promise<SubmissionQueue>;
}

export class RatingSubmissions implements ReactiveController {
  /** The line under the thank-you while the last rating waits (kept on the device, or only in memory). */
  note = '';
  /** The key of the last rating, the one the thank-you is showing. */
  lastKey = '';
  private readonly _host: RatingSubmissionsHost;
  private readonly _options: RatingSubmissionsOptions;
  private readonly _mine = new Map<string, SurveySubmission>();
  private _queue?: SubmissionQueue;
  private _requested?: SubmissionQueue;

  constructor(host: RatingSubmissionsHost, options: RatingSubmissionsOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this._requested = this._host.queue;
    // A queue chunk that fails to load here is tried again, and reported, by the first rating.
    this.attach().catch(() => {});
  }

  hostUpdate(): void {
    if (this._host.queue === this._requested || !this._host.isConnected) return;
    this._requested = this._host.queue;
    this.attach().catch(() => {});
  }

  hostDisconnected(): void {
    this._detach();
  }

  /**
   * Hands a rating to the queue under its `key`, which travels with it through every retry. Rejects,
   * with nothing stored, only when the queue's chunk could not be loaded.
   */
  async submit(endpoint: string, submission: SurveySubmission, key: string): Promise<void> {
    this._mine.set(key, submission);
    this.lastKey = key;
    this.note = '';
    try {
      await (await this.attach()).submit(endpoint, submission, key);
    } catch (error) {
      this._mine.delete(key);
      throw error;
    }
  }

  /** Listens to the queue in use (the host's, else the shared one) and returns it. */
  async attach(): Promise<SubmissionQueue> {
    // Its words first, so they are there when the queue answers (without them the note stays empty).
    await this._options.notices.load().catch(() => {});
    const queue = this._host.queue ?? (await this._options.sharedQueue());
    // While the shared queue's module loaded, the element may have been removed or given its own queue.
    if (queue === this._queue || !this._host.isConnected || queue !== (this._host.queue ?? queue)) return queue;
    this._detach();
    this._queue = queue;
    queue.addEventListener('sent', this._handleSent);
    queue.addEventListener('queued', this._handleQueued);
    queue.addEventListener('rejected', this._handleRejected);
    queue.addEventListener('storage', this._handleStorage);
    queue.start();
    return queue;
  }

  private _detach(): void {
    const queue = this._queue;
    if (!queue) return;
    queue.removeEventListener('sent', this._handleSent);
    queue.removeEventListener('queued', this._handleQueued);
    queue.removeEventListener('rejected', this._handleRejected);
    queue.removeEventListener('storage', this._handleStorage);
    this._queue = undefined;
  }

  private _setNote(key: string, note: string): void {
    if (key !== this.lastKey) return;
    this.note = note;
    this._host.requestUpdate();
  }

  private readonly _handleSent = (event: CustomEvent<SentDetail>) => {
    const { item, status, id, repeat } = event.detail;
    if (!this._mine.delete(item.key)) return;
    this._setNote(item.key, '');
    this._options.emit(this._host, 'qr-survey-submit', { key: item.key, submission: item.body, status, id, repeat });
  };

  private readonly _handleQueued = (event: CustomEvent<QueuedDetail>) => {
    const { item, reason, persistent } = event.detail;
    if (!this._mine.has(item.key)) return;
    // The truth: kept on this device, or only in this page's memory.
    const words = this._options.notices.value?.[this._options.locale()];
    this._setNote(item.key, (persistent ? words?.thanksQueued : words?.unsaved) ?? '');
    this._options.emit(this._host, 'qr-survey-queued', { key: item.key, submission: item.body, reason, persistent });
    if (!persistent) this._options.emit(this._host, 'qr-survey-error', { reason: 'unsaved', message: `Not stored on this device (${reason})`, key: item.key });
  };

  private readonly _handleRejected = (event: CustomEvent<RejectedDetail>) => {
    const { item, status, code, message } = event.detail;
    const submission = this._mine.get(item.key);
    if (!submission || !this._mine.delete(item.key)) return;
    this._setNote(item.key, '');
    this._options.onRefused(submission, item.key, status);
    this._options.emit(this._host, 'qr-survey-error', { reason: status === 409 ? 'already-rated' : 'rejected', message, status, code, key: item.key });
  };

  private readonly _handleStorage = (event: CustomEvent<StorageDetail>) => {
    if (event.detail.kind === 'memory') {
      this._options.emit(this._host, 'qr-survey-error', { reason: 'storage', message: `Ratings are kept in memory only: ${event.detail.reason}` });
    }
  };
}
