import { css } from 'lit';

// Constructable stylesheets only (safe under a strict CSP). Colours meet WCAG 2.2 AA on the
// default light background; hosts retheme with the same --motcua-* properties as the widgets.
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
  .counter-name {
    font-size: clamp(2rem, 6vmin, 4rem);
    font-weight: 700;
    color: var(--_accent);
  }
  .welcome {
    font-size: clamp(1.25rem, 3.5vmin, 2.25rem);
    max-width: 40ch;
  }
  .title {
    font-size: clamp(1.25rem, 3.5vmin, 2rem);
    max-width: 40ch;
  }
  .connection {
    font-size: 1rem;
    color: var(--_muted);
  }
  .connection[data-state='reconnecting'] {
    color: var(--_warning);
  }
  .notice {
    width: min(80vmin, 480px);
    min-width: 200px;
    aspect-ratio: 1;
    display: grid;
    place-items: center;
    align-content: center;
    gap: 1rem;
    padding: 1.5rem;
    border: 2px dashed var(--_warning);
    border-radius: var(--motcua-radius, 12px);
    color: var(--_warning);
    font-size: 1.25rem;
  }
  .survey {
    display: flex;
    flex-wrap: wrap;
    gap: 2rem;
    align-items: flex-start;
    justify-content: center;
    width: 100%;
  }
  .survey qr-survey[mode='kiosk'] {
    flex: 1 1 24rem;
    max-width: 40rem;
  }
  .survey .phone {
    flex: 0 1 18rem;
    display: grid;
    gap: 0.5rem;
  }
  .thanks-title {
    font-size: clamp(1.75rem, 5vmin, 3rem);
    color: var(--_success);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
