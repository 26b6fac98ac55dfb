/** The languages the widgets speak. Vietnamese first. */
export type Locale = 'vi' | 'en';

/** Maps any BCP 47 tag (`vi-VN`, `en-GB`, `EN`, '') to a supported {@link Locale}; Vietnamese by default. */
export function resolveLocale(lang: string | null | undefined): Locale {
  return /^en\b/i.test(lang ?? '') ? 'en' : 'vi';
}

const vndFormatters = new Map<Locale, Intl.NumberFormat>();

/**
 * Formats a VND amount the way a Vietnamese reader expects (`50.000 ₫`), or in English (`₫50,000`).
 * Accepts an integer number, bigint or digit string.
 */
export function formatVnd(amount: number | bigint | string, locale: Locale = 'vi'): string {
  let formatter = vndFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 });
    vndFormatters.set(locale, formatter);
  }
  const value = typeof amount === 'string' ? BigInt(amount) : amount;
  return formatter.format(value);
}

/** A DOM node as far as {@link nearestLang} needs one (the codec side of core stays free of DOM types). */
export interface LangNode {
  readonly parentNode: LangNode | null;
  /** A shadow root's host. */
  readonly host?: LangNode;
  getAttribute?(name: string): string | null;
}

/**
 * The `lang` that applies to a DOM element: its own, else the nearest ancestor's, crossing shadow
 * roots to their hosts; undefined when no element up to the root has one (then use the document's).
 * One copy for every widget.
 */
export function nearestLang(node: LangNode | null): string | undefined {
  for (; node; node = node.parentNode ?? node.host ?? null) {
    const lang = node.getAttribute?.('lang');
    if (lang != null) return lang;
  }
  return undefined;
}
