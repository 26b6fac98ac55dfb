import { VietQRError } from './errors.js';

/** One EMVCo data object: `ID(2) LEN(2) VALUE`. */
export interface TlvField {
  /** Two-digit ID. */
  id: string;
  value: string;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Reads a TLV sequence strictly: every ID and length is two digits, every value fits, nothing is left
 * over, no ID repeats. `path` names the template for error messages (`''` for the root, `'38'`...).
 */
export function readTlv(text: string, path: string): TlvField[] {
  const fields: TlvField[] = [];
  const seen = new Set<string>();
  let offset = 0;
  while (offset < text.length) {
    const where = path ? `${path}.` : '';
    if (offset + 4 > text.length) {
      throw new VietQRError('MALFORMED_TLV', `Truncated data object at offset ${offset}${path ? ` of field ${path}` : ''}.`, path || undefined);
    }
    const a = text.charCodeAt(offset), b = text.charCodeAt(offset + 1), c = text.charCodeAt(offset + 2), d = text.charCodeAt(offset + 3);
    if (!isDigit(a) || !isDigit(b)) {
      throw new VietQRError('MALFORMED_TLV', `Expected a two-digit ID at offset ${offset}${path ? ` of field ${path}` : ''}.`, path || undefined);
    }
    const id = text.slice(offset, offset + 2);
    if (!isDigit(c) || !isDigit(d)) {
      throw new VietQRError('MALFORMED_TLV', `Field ${where}${id} has a length that is not two digits.`, where + id);
    }
    const length = (c - 48) * 10 + (d - 48);
    const end = offset + 4 + length;
    if (length === 0 || end > text.length) {
      throw new VietQRError('MALFORMED_TLV', `Field ${where}${id} declares length ${length}, which ${length === 0 ? 'is empty' : 'runs past the end of the data'}.`, where + id);
    }
    if (seen.has(id)) throw new VietQRError('MALFORMED_TLV', `Field ${where}${id} appears twice.`, where + id);
    seen.add(id);
    fields.push({ id, value: text.slice(offset + 4, end) });
    offset = end;
  }
  return fields;
}

/** Writes one data object; the caller has checked that `value` is 1–99 characters. */
export function tlv(id: string, value: string): string {
  return id + (value.length < 10 ? '0' : '') + value.length + value;
}
