import { css } from 'lit';

// Colours meet WCAG 2.2 AA (4.5:1 for text) on the default light background; hosts retheme with
// the --motcua-* custom properties. Constructable stylesheets only: safe under a strict CSP.
// Kiosk mode: the host is a size container, so type, faces and targets grow with the width the kiosk
// is given (about 1rem in a 22rem column, 2.25rem across a 1080 px portrait screen) but never past what
// the screen's height holds (3.2vh: a landscape 1366×768 screen shows it all), and the card fills the
// height it is given. Each answer is told apart by its face (shape), its words and its tone's colour.
// (No comments inside the css template: they would ship in the CDN file.)
export const styles = css`
  :host {
    display: block;
    font-family: var(--motcua-font-family, system-ui, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    font-size: var(--motcua-font-size, 1rem);
    line-height: 1.4;
    color: var(--motcua-color-text, #1b1b1f);
    --_bg: var(--motcua-color-background, #ffffff);
    --_muted: var(--motcua-color-muted, #4a4a55);
    --_border: var(--motcua-color-border, #8a8a96);
    --_primary: var(--motcua-color-primary, #0b57d0);
    --_on-primary: var(--motcua-color-on-primary, #ffffff);
    --_positive: var(--motcua-color-positive, #146c2e);
    --_neutral: var(--motcua-color-neutral, #8a5a00);
    --_negative: var(--motcua-color-negative, #b3261e);
    --_radius: var(--motcua-radius, 12px);
    --_gap: var(--motcua-space, 1rem);
    --_target: var(--motcua-survey-target-size, 3.5rem);
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  [part~='base'] {
    background: var(--_bg);
    border-radius: var(--_radius);
    padding: var(--_gap);
    display: grid;
    gap: var(--_gap);
  }
  h2,
  p {
    margin: 0;
  }
  [part~='title'] {
    font-size: 1.35em;
  }
  [part~='officer'],
  [part~='notice'],
  [part~='counter-hint'] {
    color: var(--_muted);
  }
  [part~='question'] {
    display: grid;
    gap: calc(var(--_gap) / 2);
  }
  [part~='question-text'] {
    font-weight: 600;
    font-size: 1.1em;
  }
  [part~='options'] {
    display: grid;
    gap: calc(var(--_gap) / 2);
    grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
  }
  :host([mode='phone']) [part~='options'] {
    grid-template-columns: 1fr;
  }
  :host([mode='kiosk']) {
    container-type: inline-size;
  }
  :host([mode='kiosk']) [part~='base'] {
    font-size: clamp(var(--motcua-font-size, 1rem), min(0.25rem + 3cqi, 3.2vh), 3rem);
    gap: 1em;
    padding: 1em;
    min-height: 100%;
    align-content: center;
    text-align: center;
    border-top: 0.3em solid var(--_primary);
    box-shadow: 0 0.1em 0.6em #0002;
  }
  :host([mode='kiosk']) [part~='title'] {
    color: var(--_primary);
  }
  :host([mode='kiosk']) [part~='options'] {
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 7em), 1fr));
    gap: 0.6em;
  }
  :host([mode='kiosk']) [part~='option'] {
    flex-direction: column;
    gap: 0.3em;
    min-height: max(var(--_target), 5em);
    padding: 0.6em 0.4em;
    border-left-width: 2px;
    border-bottom-width: 0.3em;
  }
  :host([mode='kiosk']) [part~='face'] {
    width: 2.6em;
    height: 2.6em;
  }
  :host([mode='kiosk']) [part~='actions'] {
    justify-content: center;
  }
  @media (orientation: portrait) {
    :host([mode='kiosk']) [part~='options'] {
      grid-template-columns: 1fr;
    }
    :host([mode='kiosk']) [part~='option'] {
      flex-direction: row;
      justify-content: flex-start;
      gap: 0.8em;
      padding-inline: 1em;
      font-size: 1.2em;
    }
  }
  [part~='option'] {
    min-height: var(--_target);
    min-width: 3rem;
    display: flex;
    align-items: center;
    justify-content: center;
    text-align: center;
    padding: 0.5rem 1rem;
    border: 2px solid var(--_tone, var(--_border));
    border-left-width: 0.5rem;
    gap: 0.6em;
    border-radius: var(--_radius);
    background: var(--_bg);
    color: inherit;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    user-select: none;
    touch-action: manipulation;
  }
  [part~='option-positive'] {
    --_tone: var(--_positive);
  }
  [part~='option-neutral'] {
    --_tone: var(--_neutral);
  }
  [part~='option-negative'] {
    --_tone: var(--_negative);
  }
  [part~='face'] {
    flex: none;
    width: 1.8em;
    height: 1.8em;
    fill: none;
    stroke: var(--_tone);
    stroke-width: 1.6;
    stroke-linecap: round;
  }
  .eye {
    stroke-width: 2.8;
  }
  [aria-checked='true'] [part~='face'] {
    stroke: currentColor;
  }
  [part~='option'][aria-checked='true'] {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
  }
  [part~='option'][aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.7;
  }
  :focus-visible {
    outline: 3px solid var(--motcua-focus-ring, #1a73e8);
    outline-offset: 2px;
  }
  [part~='actions'] {
    display: flex;
    gap: var(--_gap);
    flex-wrap: wrap;
  }
  [part~='submit'],
  [part~='skip'] {
    min-height: 3rem;
    padding: 0.5rem 1.5rem;
    border-radius: var(--_radius);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    border: 2px solid var(--_primary);
  }
  [part~='submit'] {
    background: var(--_primary);
    color: var(--_on-primary);
  }
  [part~='skip'] {
    background: var(--_bg);
    color: var(--_primary);
  }
  [part~='thanks'] {
    font-size: 1.5em;
    font-weight: 600;
    text-align: center;
    color: var(--_positive);
  }
  [part~='error'] {
    color: var(--_negative);
    font-weight: 600;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
