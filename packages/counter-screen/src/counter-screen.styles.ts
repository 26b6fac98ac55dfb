import { css } from 'lit';

// The views of <qr-counter-screen> (idle, payment, paid, rating, thanks, the disconnected notice),
// adopted beside the element's own styles (qr-counter-screen.styles.ts) when the implementation's chunk
// loads, before its first paint. The kiosk rating takes the width the phone QR leaves; beside it,
// the phone QR's header would name the counter again by its id ("Quầy: C1"), so it is hidden.
export const screenStyles = css`
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
    max-width: 60ch;
  }
  qr-payment {
    --motcua-qr-size: var(--_qr);
    width: 100%;
  }
  qr-payment::part(details),
  qr-payment::part(countdown),
  qr-payment::part(status),
  qr-payment::part(summary) {
    font-size: clamp(1rem, 2.2vmin, 1.5rem);
    margin: 0.4rem 0;
    width: auto;
  }
  @media (orientation: landscape) {
    qr-payment::part(base) {
      grid: 1fr repeat(5, auto) 1fr / auto minmax(0, 44rem);
      place-content: center;
      justify-items: start;
      gap: 0 4vw;
      text-align: start;
    }
    qr-payment::part(qr-frame) { grid-area: 1/1/-1; }
    qr-payment::part(amount) { grid-area: 2/2; }
    qr-payment::part(status) { grid-area: 3/2; }
    qr-payment::part(summary) { grid-area: 4/2; }
    qr-payment::part(countdown) { grid-area: 5/2; }
    qr-payment::part(details) { grid-area: 6/2; }
  }
  .connection[data-state='reconnecting'] {
    color: var(--_warning);
  }
  .notice {
    width: var(--_qr);
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
    flex: 1 1 28rem;
    max-width: 64rem;
  }
  [mode='kiosk'] + .phone ::part(officer) {
    display: none;
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
