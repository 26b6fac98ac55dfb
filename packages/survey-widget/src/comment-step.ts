// The comment step ("phản ánh, kiến nghị") with its contact opt-in, in both languages. A module of its
// own so the CDN entry does not carry it: <qr-survey> loads it when a question set can offer a comment
// and awaits it before the first paint that shows it. A plain Lit module: the CDN build shares the
// entry's Lit with it (rollup.config.mjs).
import { css, html, nothing, type TemplateResult } from 'lit';
import type { Locale } from '@motcua/core/runtime';

const vi = {
  commentLabel: 'Phản ánh, kiến nghị (không bắt buộc)',
  commentAfterLow: 'Ông/Bà chưa hài lòng điều gì? Xin cho biết để chúng tôi cải thiện.',
  privacy: 'Xin không ghi thông tin cá nhân (họ tên, số điện thoại, số CCCD).',
  charsLeft: (n: number) => `Còn ${n} ký tự`,
  contactOptIn: 'Tôi muốn được liên hệ lại về phản ánh này',
  contactLabel: 'Số điện thoại hoặc email để liên hệ lại',
};

/** The comment step's styles, adopted beside the element's own when this chunk is used. */
export const commentStyles = css`
textarea,
input[type='text'] {
  width: 100%;
  font: inherit;
  padding: 0.75rem;
  border: 2px solid var(--_border);
  border-radius: calc(var(--_radius) / 2);
  color: inherit;
  background: var(--_bg);
}
label {
  display: grid;
  gap: 0.25rem;
}
[part~='opt-in'] {
  display: flex;
  align-items: center;
  gap: 0.5rem;
  min-height: 2.75rem;
}
[part~='opt-in'] input {
  width: 1.5rem;
  height: 1.5rem;
}
`;

/** The comment step's words, Vietnamese first. */
export const COMMENT_STRINGS: Readonly<Record<Locale, typeof vi>> = {
  vi,
  en: {
    commentLabel: 'Feedback or suggestions (optional)',
    commentAfterLow: 'What were you not satisfied with? Please tell us so we can improve.',
    privacy: 'Please do not write personal data (name, phone number, ID number).',
    charsLeft: (n: number) => `${n} characters left`,
    contactOptIn: 'I would like to be contacted about this feedback',
    contactLabel: 'Phone number or email to contact you',
  },
};

/** What the comment step shows, and where its input goes. */
export interface CommentStep {
  locale: Locale;
  /** Longest comment accepted, characters. */
  max: number;
  /** A low answer was given: ask what was wrong. */
  afterLow: boolean;
  /** The question set offers the contact opt-in. */
  offersContact: boolean;
  comment: string;
  contactOptIn: boolean;
  contact: string;
  onComment(value: string): void;
  onContactOptIn(checked: boolean): void;
  onContact(value: string): void;
}

/** The comment field, the privacy notice with the characters left, and the optional contact opt-in. */
export function renderCommentStep(step: CommentStep): TemplateResult {
  const s = COMMENT_STRINGS[step.locale];
  return html`<label part="comment">
      <span>${step.afterLow ? s.commentAfterLow : s.commentLabel}</span>
      <textarea
        rows="3"
        maxlength=${step.max}
        aria-describedby="privacy"
        .value=${step.comment}
        @input=${(event: Event) => step.onComment((event.target as HTMLTextAreaElement).value)}
      ></textarea>
    </label>
    <p part="notice" id="privacy">${s.privacy} ${s.charsLeft(step.max - step.comment.length)}</p>
    ${
      step.offersContact
        ? html`<label part="opt-in"
            ><input
              type="checkbox"
              .checked=${step.contactOptIn}
              @change=${(event: Event) => step.onContactOptIn((event.target as HTMLInputElement).checked)}
            />${s.contactOptIn}</label
          >
          ${
            step.contactOptIn
              ? html`<label part="contact"
                >${s.contactLabel}<input
                  type="text"
                  maxlength="200"
                  autocomplete="off"
                  .value=${step.contact}
                  @input=${(event: Event) => step.onContact((event.target as HTMLInputElement).value)}
              /></label>`
              : nothing
          }`
        : nothing
    }`;
}
