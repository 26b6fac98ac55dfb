// `window.print()` must print only the slip. A shadow root cannot style the page around it, so while
// a `view="print"` element is connected one constructable sheet on the document hides everything
// else in print (the element makes itself visible again from its own @media print rules). A
// constructable sheet, not a <style> element, so a strict CSP allows it.

const PAGE_RULES = `@media print {
  @page { size: A6 portrait; margin: 6mm; }
  body * { visibility: hidden !important; }
}`;

let sheet: CSSStyleSheet | undefined;
const holders = new Set<object>();

/** Starts hiding the rest of the page in print, for as long as at least one holder remains. */
export function holdPrintIsolation(holder: object): void {
  if (typeof document === 'undefined' || !('adoptedStyleSheets' in document)) return;
  holders.add(holder);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(PAGE_RULES);
  }
  if (!document.adoptedStyleSheets.includes(sheet)) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
}

/** Releases `holder`; the page prints normally again once nobody holds the isolation. */
export function releasePrintIsolation(holder: object): void {
  holders.delete(holder);
  if (holders.size > 0 || !sheet || typeof document === 'undefined') return;
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
}
