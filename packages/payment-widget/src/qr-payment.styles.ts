import { css } from 'lit';

// Static styles only: Lit adopts them as constructable stylesheets, which a strict CSP allows
// (no <style> elements, no style="" attributes).
export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--motcua-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--motcua-color-text, #1a1a1a);
    background: var(--motcua-color-background, #ffffff);
    border-radius: var(--motcua-radius, 12px);
    max-width: var(--motcua-max-width, 28rem);
    --_qr-size: var(--motcua-qr-size, 240px);
    --_accent: var(--motcua-color-accent, #0b57d0);
    --_success: var(--motcua-color-success, #146c2e);
    --_warning: var(--motcua-color-warning, #8a4b00);
    --_danger: var(--motcua-color-danger, #b3261e);
    --_muted: var(--motcua-color-muted, #4d4d4d);
    --_skeleton: var(--motcua-color-skeleton, #e6e6e6);
  }
  :host([hidden]) {
    display: none;
  }
  :host([view='customer']) {
    --_qr-size: var(--motcua-qr-size, min(80vmin, 480px));
    max-width: none;
    text-align: center;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .base {
    display: grid;
    gap: 0.75rem;
    padding: var(--motcua-padding, 1rem);
    justify-items: center;
  }
  h2 {
    margin: 0;
    font-size: 1.125rem;
  }
  .qr-frame {
    /* The same box in every state: loading, QR, success, expired, error. No layout jump. */
    width: var(--_qr-size);
    min-width: 200px;
    max-width: 100%;
    aspect-ratio: 1;
    display: grid;
    place-items: center;
    border-radius: 8px;
    overflow: hidden;
  }
  .qr {
    display: block;
  }
  /* Until it is fitted to whole device pixels (width and height attributes, see _fitQr). */
  .qr:not([width]) {
    width: 100%;
    height: 100%;
  }
  .qr-light {
    fill: var(--motcua-qr-light, #ffffff);
  }
  .qr-dark {
    fill: var(--motcua-qr-dark, #000000);
  }
  /* A palette phones cannot read (see qrPaletteProblem) is replaced, not drawn. */
  .qr-default-palette .qr-light {
    fill: #ffffff;
  }
  .qr-default-palette .qr-dark {
    fill: #000000;
  }
  .skeleton {
    width: 100%;
    height: 100%;
    background: var(--_skeleton);
  }
  .line {
    display: inline-block;
    width: 8em;
    height: 1em;
    border-radius: 4px;
    background: var(--_skeleton);
    vertical-align: middle;
  }
  @media (prefers-reduced-motion: no-preference) {
    .skeleton,
    .line {
      animation: pulse 1.5s ease-in-out infinite;
    }
  }
  @keyframes pulse {
    50% {
      opacity: 0.55;
    }
  }
  .panel {
    width: 100%;
    height: 100%;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 0.5rem;
    padding: 1rem;
    text-align: center;
    border: 2px solid currentColor;
    border-radius: 8px;
  }
  .panel svg {
    width: 40%;
    height: auto;
  }
  .panel-paid {
    color: var(--_success);
    background: var(--motcua-color-success-background, #e7f5ea);
    font-size: 1.25rem;
    font-weight: 700;
  }
  .panel-closed {
    color: var(--_muted);
    background: var(--_skeleton);
    font-size: 1.125rem;
    font-weight: 600;
  }
  .panel-error {
    color: var(--_danger);
    background: var(--motcua-color-danger-background, #fdecea);
  }
  .panel-error p {
    margin: 0;
    color: var(--motcua-color-text, #1a1a1a);
  }
  .amount {
    margin: 0;
    font-size: 1.5rem;
    font-weight: 700;
    min-height: 1.5em;
  }
  :host([view='customer']) .amount {
    font-size: clamp(1.75rem, 6vmin, 3.5rem);
  }
  .status {
    margin: 0;
    min-height: 1.5em;
    font-weight: 600;
  }
  .status-paid {
    color: var(--_success);
  }
  .status-underpaid,
  .status-expired,
  .status-cancelled {
    color: var(--_warning);
  }
  .countdown {
    margin: 0;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
    min-height: 1.5em;
  }
  /* Fee, received, still due, to refund: side by side, the figures large enough to read at a glance. */
  .summary {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.25rem 1.5rem;
    text-align: center;
  }
  .summary dd {
    display: block;
    font-size: 1.125rem;
    font-weight: 700;
  }
  .panel .refund {
    font-size: 1rem;
  }
  .warning {
    width: 100%;
    margin: 0;
    padding: 0.5rem 0.75rem;
    border-radius: 6px;
    color: var(--_warning);
    background: var(--motcua-color-warning-background, #fff4e5);
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    justify-content: space-between;
  }
  dl {
    width: 100%;
    margin: 0;
    display: grid;
    gap: 0.25rem;
    text-align: start;
  }
  /* The value goes under its label when the two do not fit side by side: an account number or a
     payment code never breaks, and the memo breaks at its spaces only. */
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    align-items: center;
  }
  dt {
    color: var(--_muted);
    min-width: 7rem;
  }
  dd {
    flex: 1 1 auto;
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    justify-content: space-between;
  }
  .value {
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    justify-content: center;
  }
  button {
    font: inherit;
    font-size: 0.875rem;
    min-height: 2.25rem;
    padding: 0.25rem 0.75rem;
    border-radius: 6px;
    border: 1px solid var(--_accent);
    color: var(--_accent);
    background: var(--motcua-color-background, #ffffff);
    cursor: pointer;
  }
  button.primary {
    color: var(--motcua-color-on-accent, #ffffff);
    background: var(--_accent);
  }
  button:focus-visible {
    outline: 3px solid var(--motcua-color-focus, #0b57d0);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .instructions {
    margin: 0;
    padding-inline-start: 1.25rem;
    text-align: start;
    font-size: 0.875rem;
  }
  .note {
    margin: 0;
    font-size: 0.875rem;
    color: var(--_muted);
  }
  @media print {
    button,
    .warning {
      display: none !important;
    }
  }
`;
