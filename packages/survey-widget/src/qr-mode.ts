// `mode="qr"`: the QR that opens the phone survey (its controller, template, styles and encoder). A
// chunk of its own in the CDN files, so a kiosk page never loads the QR encoder; a plain Lit module
// like the comment step.
import { css, html, svg, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { encodeQrSymbol, type QrSymbol } from '@motcua/core/qr';
import type { Locale } from '@motcua/core/runtime';
import type { SurveyMode } from './qr-survey.js';

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
 * The phone survey's link: `phoneUrl` resolved against `base`, with this rating's `token`, `counter`
 * and `counterName` (so the phone page says which counter is rated) set as query parameters
 * (replacing any already there: a stale token would be refused as used). '' unless it is http or https.
 */
export function phoneLink(phoneUrl: string, base: string, token: string, counter: string, counterName = ''): string {
  let url: URL;
  try {
    url = new URL(phoneUrl, base);
  } catch {
    return '';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '';
  if (token) url.searchParams.set('token', token);
  if (counter) url.searchParams.set('counter', counter);
  if (counterName) url.searchParams.set('counterName', counterName);
  return url.href;
}

/** The styles of the QR, adopted beside the element's own when this chunk is used. */
export const qrModeStyles = css`
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

/** The QR (dark on light, its quiet zone included, a label for screen readers) and its caption. */
export function renderQr(symbol: QrSymbol, locale: Locale): TemplateResult {
  const { viewSize: size, path } = symbol;
  const s = QR_STRINGS[locale];
  const text = { label: s.qrLabel, caption: `${s.scanToRate}. ${s.scanPrivacy}` };
  return html`${svg`<svg part="qr" role="img" aria-label=${text.label} viewBox="0 0 ${size} ${size}" xmlns="http://www.w3.org/2000/svg"><rect class="qr-light" width=${size} height=${size}></rect><path class="qr-dark" d=${path}></path></svg>`}
    <p part="qr-caption">${text.caption}</p>`;
}

/** What the controller reads of its element (the properties of the same names). */
export interface PhoneQrHost extends ReactiveControllerHost {
  mode: SurveyMode;
  phoneUrl: string;
  token: string;
  counter: string;
  counterName: string;
}

/**
 * The QR on screen, as a Lit reactive controller: drawn when the element shows a QR, and again when
 * `phone-url`, `token`, `counter` or `counter-name` change. Created by the element once this chunk is loaded.
 */
export class PhoneQr implements ReactiveController {
  /** The QR on screen; undefined while none is (not drawn yet, or its address was refused). */
  drawing: QrSymbol | undefined;
  private readonly _host: PhoneQrHost;
  private readonly _onResult: (error?: unknown) => void;
  private _for = '';
  private _requested = '';

  /** `onResult` hears of each drawing: no argument once drawn, the error when it could not be. */
  constructor(host: PhoneQrHost, onResult: (error?: unknown) => void) {
    this._host = host;
    this._onResult = onResult;
    host.addController(this);
  }

  hostUpdate(): void {
    const host = this._host;
    const requested = host.mode === 'qr' ? `${host.phoneUrl}\n${host.token}\n${host.counter}\n${host.counterName}` : '';
    if (requested === this._requested) return;
    this._requested = requested;
    if (requested) this._draw();
  }

  private _draw(): void {
    const host = this._host;
    try {
      const url = phoneLink(host.phoneUrl, document.baseURI, host.token, host.counter, host.counterName);
      if (!url) {
        // An old QR must not stay on screen when the new address is refused (the element reports why).
        this._set(undefined, '');
        return;
      }
      if (url === this._for) return;
      this._for = url;
      // Error correction M (core's default); throws a QrError when the link does not fit a QR code.
      const drawing = encodeQrSymbol(url);
      this._set(drawing, url);
      this._onResult();
    } catch (error) {
      this._set(undefined, '');
      this._onResult(error);
    }
  }

  private _set(drawing: QrSymbol | undefined, url: string): void {
    this.drawing = drawing;
    this._for = url;
    this._host.requestUpdate();
  }
}
