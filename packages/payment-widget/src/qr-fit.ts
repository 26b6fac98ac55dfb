import type { QrSymbol } from '@motcua/core/qr';
import type { ReactiveController, ReactiveElement } from 'lit';
import { qrPaletteProblem, snapQrSize } from './qr-matrix.js';

/**
 * Keeps the QR of `<qr-payment>` readable: checks each new symbol's palette (`--motcua-qr-dark` on
 * `--motcua-qr-light`; an unreadable one is refused: {@link defaultPalette}, and `onPaletteProblem`
 * says why) and sizes the `svg.qr` in `.qr-frame` so that every module is a whole number of device
 * pixels, again whenever the box or the device pixel ratio changes.
 */
export class QrFitController implements ReactiveController {
  /** True when the QR must be drawn black on white (the palette asked for would not read). */
  defaultPalette = false;
  private readonly _host: ReactiveElement;
  private readonly _symbol: () => QrSymbol | undefined;
  private readonly _onPaletteProblem: (problem: string) => void;
  /** The symbol whose palette was last checked. */
  private _checkedFor: QrSymbol | undefined;
  private _resizeObserver: ResizeObserver | undefined;

  constructor(host: ReactiveElement, symbol: () => QrSymbol | undefined, onPaletteProblem: (problem: string) => void) {
    this._host = host;
    this._symbol = symbol;
    this._onPaletteProblem = onPaletteProblem;
    host.addController(this);
  }

  hostUpdated(): void {
    const symbol = this._symbol();
    if (symbol && this._checkedFor !== symbol) {
      this._checkedFor = symbol;
      const style = getComputedStyle(this._host);
      const problem = qrPaletteProblem(
        style.getPropertyValue('--motcua-qr-dark').trim() || '#000000',
        style.getPropertyValue('--motcua-qr-light').trim() || '#ffffff',
      );
      if (this.defaultPalette !== Boolean(problem)) {
        this.defaultPalette = Boolean(problem);
        this._host.requestUpdate();
      }
      if (problem) this._onPaletteProblem(problem);
    }
    this._fit();
  }

  hostDisconnected(): void {
    this._resizeObserver?.disconnect();
    this._resizeObserver = undefined;
  }

  /** Sizes the symbol to the largest fit of its box with every module a whole number of device pixels. */
  private _fit(): void {
    const frame = this._host.renderRoot.querySelector<HTMLElement>('.qr-frame');
    if (frame && !this._resizeObserver) {
      this._resizeObserver = new ResizeObserver(() => this._fit());
      try {
        // Also fires when only the device pixel ratio changes (zoom, another screen).
        this._resizeObserver.observe(frame, { box: 'device-pixel-content-box' });
      } catch {
        this._resizeObserver.observe(frame);
      }
      // Its first observation fits the QR once the page is laid out, before it is painted: measuring
      // now would force a layout in the middle of the first paint (issue 16).
      return;
    }
    const svg = frame?.querySelector<SVGSVGElement>('svg.qr');
    const symbol = this._symbol();
    if (!svg || !symbol) return;
    // Width and height as presentation attributes (CSS px), not a style attribute: nothing for a strict CSP to weigh.
    const size = String(snapQrSize(frame!.getBoundingClientRect().width, symbol.viewSize, window.devicePixelRatio || 1));
    if (svg.getAttribute('width') !== size) {
      svg.setAttribute('width', size);
      svg.setAttribute('height', size);
    }
  }
}
