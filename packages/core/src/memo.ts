import { fail } from './errors.js';

// Characters bank apps keep in a transfer memo: letters, digits, space and a little punctuation.
// Everything else (quotes, <>, &, #, %, emoji...) is dropped rather than risk a rejected transfer.
const DISALLOWED = /[^A-Za-z0-9 .,\-_/:()+]/g;

/**
 * Turns Vietnamese (or any) text into the ASCII a VietQR memo allows: diacritics and đ/Đ removed,
 * whitespace collapsed, characters outside the allowed set dropped, and cut to at most `maxLength`
 * (at a word boundary when one is near). Encoding never truncates silently; this is the explicit way
 * to make text fit.
 *
 * @example
 * toMemo('MC7K2Q9XA Lệ phí đăng ký hộ tịch'); // 'MC7K2Q9XA Le phi dang ky'
 */
export function toMemo(text: string, maxLength = 25): string {
  if (typeof text !== 'string') fail('INVALID_FIELD', 'text', 'text must be a string');
  if (!Number.isInteger(maxLength) || maxLength < 1) fail('INVALID_FIELD', 'maxLength', 'maxLength must be a positive integer');
  const ascii = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đð]/g, 'd')
    .replace(/[ĐÐ]/g, 'D')
    .replace(/\s+/g, ' ')
    .replace(DISALLOWED, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (ascii.length <= maxLength) return ascii;
  const cut = ascii.slice(0, maxLength + 1);
  const lastSpace = cut.lastIndexOf(' ');
  // Prefer ending on a whole word unless that throws away more than a third of the room.
  return (lastSpace >= (maxLength * 2) / 3 ? cut.slice(0, lastSpace) : ascii.slice(0, maxLength)).trimEnd();
}
