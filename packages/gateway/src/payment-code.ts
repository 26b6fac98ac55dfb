import { randomInt } from 'node:crypto';

/** Payment-code alphabet: digits and capitals without the look-alikes 0/O, 1/I/L. */
export const PAYMENT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const PAYMENT_CODE_PREFIX = 'MC';
/** Characters after the prefix: 31^7 ≈ 2.75e10 codes. */
export const PAYMENT_CODE_LENGTH = 7;

const CODE_PATTERN = new RegExp(`(?=(${PAYMENT_CODE_PREFIX}[${PAYMENT_CODE_ALPHABET}]{${PAYMENT_CODE_LENGTH}}))`, 'g');

/** A fresh random payment code, e.g. `MC7K2Q9XA` (uniqueness is enforced by the database). */
export function newPaymentCode(): string {
  let code = PAYMENT_CODE_PREFIX;
  for (let i = 0; i < PAYMENT_CODE_LENGTH; i++) code += PAYMENT_CODE_ALPHABET[randomInt(PAYMENT_CODE_ALPHABET.length)];
  return code;
}

/**
 * Every payment code that may be hidden in a transfer memo as a bank app delivered it: upper-cased or
 * not, diacritics stripped or not, spaces removed or re-inserted inside the code, punctuation added,
 * bank prefixes and suffixes around it ("MBVCB.1234567.MC7K2Q9XA LE PHI.CT tu 0123").
 * Candidates are returned in order of appearance; the caller keeps the one that exists.
 *
 * @example
 * paymentCodeCandidates('MBVCB.1234567.mc7k 2q9xa le phi'); // ['MC7K2Q9XA']
 */
export function paymentCodeCandidates(memo: string): string[] {
  const compact = memo
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  const found = new Set<string>();
  for (const match of compact.matchAll(CODE_PATTERN)) found.add(match[1]!);
  return [...found];
}
