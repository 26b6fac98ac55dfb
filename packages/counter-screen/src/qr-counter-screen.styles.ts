import { css } from 'lit';

// Constructable stylesheets only (safe under a strict CSP). Colours meet WCAG 2.2 AA on the
// default light background; hosts retheme with the same --motcua-* properties as the widgets.
//
// The element's own styles: the host, its tokens and what it paints before its implementation has
// loaded (the "could not be loaded" line). The views' styles come with the implementation's chunk
// (counter-screen.styles.ts), so a page that loads the all-in-one for <qr-payment> alone carries none.
// (The CSS ships as written, in the first paint: its reasons are here, not in CSS comments.)
// --_qr: the payment QR, scanned from about 1 m, so at least 10 cm on the glass (about 380 CSS
// px on a 96-dpi screen) and as large as the screen allows with the amount and the account beside it
// (landscape: the QR left, the rest right, one view with no scrolling) or under it (portrait). The
// host page's --motcua-qr-size wins (a connection warning takes the free cell above the amount).
export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    min-height: var(--motcua-screen-min-height, 100%);
    font-family: var(--motcua-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--motcua-color-text, #1a1a1a);
    background: var(--motcua-color-background, #ffffff);
    --_accent: var(--motcua-color-accent, #0b57d0);
    --_success: var(--motcua-color-success, #146c2e);
    --_warning: var(--motcua-color-warning, #8a4b00);
    --_muted: var(--motcua-color-muted, #4d4d4d);
    --_qr: var(--motcua-qr-size, min(calc(100vh - 16rem), 44vw));
  }
  @media (orientation: portrait) {
    :host {
      --_qr: var(--motcua-qr-size, min(80vw, calc(100vh - 30rem)));
    }
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .base {
    display: grid;
    align-content: center;
    justify-items: center;
    gap: 1.25rem;
    min-height: inherit;
    padding: var(--motcua-padding, 2rem 1rem);
    text-align: center;
  }
  h2,
  p {
    margin: 0;
  }
  .connection {
    font-size: 1rem;
    color: var(--_muted);
  }
`;
