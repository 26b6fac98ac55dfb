import { css } from 'lit';

// Sizes in em of one base size, so that the A5 slip is the A6 one scaled by √2. The slip fits the
// smallest printable area it meets: A6 with 12.7 mm (0.5 in) margins, 79.6 × 122.6 mm; the A4
// sheets are cut into cells of at least that size. Static styles only (a strict CSP allows them).
export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    color: #000;
    font-family: var(--motcua-slip-font-family, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif);
    --_base: var(--motcua-slip-font-size, 8pt);
  }
  :host([hidden]) {
    display: none;
  }
  :host([paper='a5']),
  :host([paper='a4-a5']) {
    --_base: calc(var(--motcua-slip-font-size, 8pt) * 1.414);
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .sheets {
    display: grid;
    gap: 1rem;
    justify-items: start;
  }
  /* On screen: a preview of the paper, the printer's margins included (10 mm). */
  .sheet {
    width: 105mm;
    min-height: 148mm;
    max-width: 100%;
    padding: 10mm;
    background: #fff;
    box-shadow: 0 1px 4px rgb(0 0 0 / 35%);
  }
  :host([paper='a5']) .sheet {
    width: 148mm;
    min-height: 210mm;
  }
  :host([paper='a4-a6']) .sheet,
  :host([paper='a4-a5']) .sheet {
    display: grid;
    width: 210mm;
    height: 297mm;
    grid-template: repeat(2, minmax(0, 1fr)) / repeat(2, minmax(0, 1fr));
  }
  :host([paper='a4-a5']) .sheet {
    width: 297mm;
    height: 210mm;
    grid-template: minmax(0, 1fr) / repeat(2, minmax(0, 1fr));
  }
  /* Cut lines between the slips of an A4 sheet. */
  :host([paper='a4-a6']) .slip,
  :host([paper='a4-a5']) .slip {
    padding: 5mm;
  }
  :host([paper='a4-a6']) .slip:nth-child(odd),
  :host([paper='a4-a5']) .slip:nth-child(odd) {
    border-right: 0.4pt dashed #555;
  }
  :host([paper='a4-a6']) .slip:nth-child(-n + 2) {
    border-bottom: 0.4pt dashed #555;
  }
  .slip {
    display: flex;
    flex-direction: column;
    gap: 0.55em;
    font-size: var(--_base);
    line-height: 1.25;
    break-inside: avoid;
    min-width: 0;
  }
  p,
  h2,
  dl,
  dd,
  ol {
    margin: 0;
  }
  .unit {
    font-weight: 700;
    text-transform: uppercase;
  }
  .title {
    font-size: 1.35em;
    text-transform: uppercase;
    border-bottom: 0.6pt solid #000;
    padding-bottom: 0.25em;
  }
  .label,
  dt {
    color: #333;
  }
  .dossier {
    display: block;
  }
  .figures {
    font-size: 1.6em;
  }
  .words em {
    font-style: italic;
    font-weight: 600;
  }
  .received {
    font-size: 0.9em;
  }
  .pay {
    display: grid;
    grid-template-columns: 15em minmax(0, 1fr);
    gap: 0.8em;
    align-items: start;
  }
  .qr {
    display: block;
    width: 100%;
    height: auto;
  }
  .details {
    display: grid;
    gap: 0.3em;
  }
  dt {
    font-size: 0.85em;
  }
  dd {
    font-weight: 700;
    overflow-wrap: anywhere;
  }
  .mono {
    font-family: 'DejaVu Sans Mono', 'Liberation Mono', 'Courier New', monospace;
    font-size: 0.95em;
  }
  /* A code or an account number never breaks; the memo breaks only at its spaces. */
  .nowrap {
    white-space: nowrap;
  }
  .memo {
    white-space: normal;
    overflow-wrap: normal;
  }
  .steps {
    font-size: 0.9em;
  }
  .steps .label {
    font-weight: 700;
    color: #000;
  }
  .steps ol {
    padding-inline-start: 1.3em;
  }
  .notice {
    border: 0.6pt solid #000;
    padding: 0.5em;
    font-weight: 700;
  }
  @media print {
    .sheets {
      display: block;
    }
    /* The page's margins are the printer's: the sheet takes the printable area. */
    .sheet {
      width: auto;
      min-height: 0;
      max-width: none;
      padding: 0;
      box-shadow: none;
      break-after: page;
    }
    .sheet:last-child {
      break-after: auto;
    }
    /* Room above the first line: the stacked marks of a capital (Ế) rise above its line box and would
       print at the foot of the previous page. */
    .slip {
      padding-top: 1mm;
    }
    :host([paper='a4-a6']) .sheet {
      width: auto;
      height: 270mm;
    }
    :host([paper='a4-a5']) .sheet {
      width: auto;
      height: 183mm;
    }
    .empty {
      display: none;
    }
  }
`;
