// `mode="qr"`: the QR that opens the phone survey, its styles and its encoder. A chunk of its own in
// the CDN files, so a kiosk page never loads the QR encoder; like the comment step it takes Lit's
// template tags from the element instead of importing Lit (see comment-step.ts).
import type { TemplateResult, html, svg } from 'lit';
import { encodeQr, qrPath } from '@motcua/core/qr';
import type { Locale } from '@motcua/core/runtime';

/** The QR's words (only a page that shows the QR needs them), Vietnamese first. */
export const QR_STRINGS: Readonly<Record<Locale, { scanToRate: string; scanPrivacy: string; qrLabel: string }>> = {
  vi: {
    scanToRate: 'Quét mã QR bằng điện thoại để đánh giá',
    scanPrivacy: 'Lựa chọn của Ông/Bà được giữ kín.',
    qrLabel: 'Mã QR mở trang đánh giá trên điện thoại',
  },
  en: {
    scanToRate: 'Scan the QR code with your phone to rate',
    scanPrivacy: 'Your choice stays private.',
    qrLabel: 'QR code opening the rating page on your phone',
  },
};

/**
 * The phone survey's link: `phoneUrl` resolved against `base`, with this rating's `token` and `counter`
 * set as query parameters (replacing any already there: a stale token would be refused as used).
 * '' unless it is http or https.
 */
export function phoneLink(phoneUrl: string, base: string, token: string, counter: string): string {
  let url: URL;
  try {
    url = new URL(phoneUrl, base);
  } catch {
    return '';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '';
  if (token) url.searchParams.set('token', token);
  if (counter) url.searchParams.set('counter', counter);
  return url.href;
}

/** Modules of light margin around the symbol, as ISO/IEC 18004 requires. */
const QUIET_ZONE = 4;

/** The styles of the QR, adopted beside the element's own when this chunk is used. */
export const QR_MODE_CSS = `
[part~='qr'] {
  display: block;
  width: var(--motcua-qr-size, 240px);
  min-width: 200px;
  max-width: 100%;
  height: auto;
  margin: 0 auto;
  shape-rendering: crispEdges;
}
.qr-light { fill: #ffffff; }
.qr-dark { fill: #000000; }
`;

/** An encoded QR: the side with its quiet zone, and one SVG path of the dark modules. */
export interface QrDrawing {
  size: number;
  path: string;
}

/**
 * Encodes `url` with error correction M, the quiet zone included.
 * @throws {QrError} when it does not fit a QR code.
 */
export function drawQr(url: string): QrDrawing {
  const matrix = encodeQr(url, { errorCorrection: 'M' });
  return { size: matrix.size + 2 * QUIET_ZONE, path: qrPath(matrix, QUIET_ZONE) };
}

/** The QR (dark on light, a label for screen readers) and its caption. */
export function renderQr(drawing: QrDrawing, locale: Locale, tags: { html: typeof html; svg: typeof svg }): TemplateResult {
  const { size, path } = drawing;
  const s = QR_STRINGS[locale];
  const text = { label: s.qrLabel, caption: `${s.scanToRate}. ${s.scanPrivacy}` };
  return tags.html`${tags.svg`<svg part="qr" role="img" aria-label=${text.label} viewBox="0 0 ${size} ${size}" xmlns="http://www.w3.org/2000/svg"><rect class="qr-light" width=${size} height=${size}></rect><path class="qr-dark" d=${path}></path></svg>`}
    <p part="qr-caption">${text.caption}</p>`;
}
