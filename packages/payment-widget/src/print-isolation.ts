// `window.print()` must print only the slips. A shadow root cannot style the page around it, so while
// a printing element is connected one constructable sheet on the document hides everything else in
// print (`<qr-payment-slip>`'s `slipPrintRules`). A constructable sheet, not a <style> element, so a strict CSP allows it.

let sheet: CSSStyleSheet | undefined;
/** The holders in the order they asked, with their rules: the latest one's apply. */
const holders = new Map<object, string>();

function apply(): void {
  sheet ??= new CSSStyleSheet();
  sheet.replaceSync([...holders.values()].at(-1)!);
  if (!document.adoptedStyleSheets.includes(sheet)) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
}

/** Starts hiding the rest of the page in print with `rules`, for as long as at least one holder remains. */
export function holdPrintIsolation(holder: object, rules: string): void {
  if (typeof document === 'undefined' || !('adoptedStyleSheets' in document) || holders.get(holder) === rules) return;
  holders.delete(holder);
  holders.set(holder, rules);
  apply();
}

/** Releases `holder`; the page prints normally again once nobody holds the isolation. */
export function releasePrintIsolation(holder: object): void {
  if (!holders.delete(holder) || typeof document === 'undefined') return;
  if (holders.size > 0) apply();
  else document.adoptedStyleSheets = document.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
}
