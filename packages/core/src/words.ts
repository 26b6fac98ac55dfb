/**
 * `@motcua/core/words` — an amount of VND in words, as a payment slip or a receipt writes it under the
 * figures ("Năm mươi nghìn đồng"). Vietnamese reads numbers in groups of three digits (nghìn,
 * triệu, tỷ; then nghìn tỷ, triệu tỷ, tỷ tỷ) with the northern spoken rules: "linh" for a zero tens
 * digit (105 "một trăm linh năm"), "mốt" for 1 after twenty and up (21 "hai mươi mốt", but 11
 * "mười một"), "tư" for 4 after twenty and up (24 "hai mươi tư", but 14 "mười bốn"), "lăm" for 5
 * after a tens digit (15 "mười lăm", 25 "hai mươi lăm", but 105 "một trăm linh năm"), and
 * "không trăm" for a zero hundreds digit once a larger group has been read (1.000.001 "một triệu
 * không trăm linh một"). English reads the short scale without "and" ("two hundred five thousand").
 */
import type { Locale } from './locale.js';

/** Thrown for an amount that is not a whole, non-negative number of VND. `code` is `INVALID_AMOUNT`. */
export class AmountWordsError extends Error {
  override name = 'AmountWordsError';
  /** Machine-readable reason. */
  readonly code = 'INVALID_AMOUNT';
  constructor(message: string) {
    super(message);
  }
}

const VI_DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const VI_GROUPS = ['', 'nghìn', 'triệu'] as const;
const EN_ONES = [
  '',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;
const EN_GROUPS = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion', 'sextillion'] as const;
/** What the currency is called after the words. */
const CURRENCY = { vi: 'đồng', en: 'dong' } as const;
type CURRENCY = typeof CURRENCY;

/** The canonical digits of `amount` (no sign, no leading zeros), or throws {@link AmountWordsError}. */
function toDigits(amount: number | bigint | string): string {
  let digits: string;
  if (typeof amount === 'number') {
    if (!Number.isSafeInteger(amount) || amount < 0) throw new AmountWordsError(`The amount ${amount} is not a whole, non-negative number of VND.`);
    digits = String(amount);
  } else if (typeof amount === 'bigint') {
    if (amount < 0n) throw new AmountWordsError(`The amount ${amount} is negative.`);
    digits = amount.toString();
  } else if (typeof amount === 'string' && /^\d{1,60}$/.test(amount)) {
    digits = amount;
  } else {
    throw new AmountWordsError(`The amount ${JSON.stringify(amount)} is not a whole number of VND written in digits.`);
  }
  digits = digits.replace(/^0+(?=\d)/, '');
  if (digits.length > 24) throw new AmountWordsError(`The amount has ${digits.length} digits; at most 24 are read.`);
  return digits;
}

/** The digits in groups of three from the most significant, the first one padded: '1205000' → ['001', '205', '000']. */
function groupsOf(digits: string): string[] {
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  return padded.match(/\d{3}/g) as string[];
}

/** One Vietnamese group of three digits; `full` once a larger group has been read ("không trăm linh năm"). */
function viGroup(group: string, full: boolean): string[] {
  const [h, t, u] = [Number(group[0]), Number(group[1]), Number(group[2])];
  const words: string[] = [];
  if (h > 0 || full) words.push(VI_DIGITS[h]!, 'trăm');
  if (t === 0) {
    if (u > 0) words.push(...(words.length ? ['linh'] : []), VI_DIGITS[u]!);
  } else {
    words.push(t === 1 ? 'mười' : `${VI_DIGITS[t]} mươi`);
    if (u === 1) words.push(t === 1 ? 'một' : 'mốt');
    else if (u === 4) words.push(t === 1 ? 'bốn' : 'tư');
    else if (u === 5) words.push('lăm');
    else if (u > 0) words.push(VI_DIGITS[u]!);
  }
  return words;
}

/** Up to nine digits in triệu, nghìn and units; `started` once a larger part has been read. */
function viBelowBillion(digits: string, started: boolean): string[] {
  const groups = groupsOf(digits);
  const words: string[] = [];
  groups.forEach((group, i) => {
    if (group === '000') return;
    words.push(...viGroup(group, started || words.length > 0), VI_GROUPS[groups.length - 1 - i]!);
  });
  return words;
}

/** Vietnamese reads past a billion by counting billions: 10^12 is "một nghìn tỷ", 2·10^15 "hai triệu tỷ". */
function viWords(digits: string): string[] {
  if (digits.length <= 9) return viBelowBillion(digits, false);
  return [...viWords(digits.slice(0, -9)), 'tỷ', ...viBelowBillion(digits.slice(-9), true)];
}

function enGroup(group: string): string[] {
  const [h, t, u] = [Number(group[0]), Number(group[1]), Number(group[2])];
  const words: string[] = [];
  if (h > 0) words.push(EN_ONES[h]!, 'hundred');
  const rest = t * 10 + u;
  if (rest >= 20) words.push(u ? `${EN_TENS[t]}-${EN_ONES[u]}` : EN_TENS[t]!);
  else if (rest > 0) words.push(EN_ONES[rest]!);
  return words;
}

function enWords(digits: string): string {
  const groups = groupsOf(digits);
  const words: string[] = [];
  groups.forEach((group, i) => {
    if (group === '000') return;
    words.push(...enGroup(group), EN_GROUPS[groups.length - 1 - i]!);
  });
  return words.filter(Boolean).join(' ');
}

/**
 * A whole number in words, lower case: `numberInWords(1205000)` → `'một triệu hai trăm linh năm nghìn'`,
 * `numberInWords(21, 'en')` → `'twenty-one'`. Accepts a safe integer, a bigint or a digit string (up
 * to 24 digits).
 *
 * @throws {AmountWordsError} when `amount` is negative, fractional, not finite or not digits.
 */
export function numberInWords(amount: number | bigint | string, locale: Locale = 'vi'): string {
  const digits = toDigits(amount);
  if (/^0+$/.test(digits)) return locale === 'vi' ? 'không' : 'zero';
  return locale === 'vi' ? viWords(digits).filter(Boolean).join(' ') : enWords(digits);
}

/**
 * An amount of VND in words as a slip writes it under the figures, capitalised, with the currency:
 * `amountInWords(50000)` → `'Năm mươi nghìn đồng'`, `amountInWords(1205000)` →
 * `'Một triệu hai trăm linh năm nghìn đồng'`, `amountInWords(50000, 'en')` → `'Fifty thousand dong'`.
 *
 * @example
 * import { amountInWords } from '@motcua/core/words';
 * amountInWords(105000); // 'Một trăm linh năm nghìn đồng'
 *
 * @throws {AmountWordsError} when `amount` is negative, fractional, not finite or not digits.
 */
export function amountInWords(amount: number | bigint | string, locale: Locale = 'vi'): string {
  const words = `${numberInWords(amount, locale)} ${CURRENCY[locale] satisfies CURRENCY[Locale]}`;
  return words.charAt(0).toUpperCase() + words.slice(1);
}
