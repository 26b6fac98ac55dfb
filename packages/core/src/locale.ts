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
