import { VietQRError } from './errors.js';

/** One EMVCo data object: `ID(2) LEN(2) VALUE`. */
export interface TlvField {
  /** Two-digit ID. */
  id: string;
  value: string;
}

/** NAPAS's GUID for VietQR (field 38.00). */
export const NAPAS_GUID = 'A000000727';

/**
 * Reads a TLV sequence strictly: every ID and length is two digits, every value fits, nothing is left
 * over, no ID repeats. `path` names the template for error messages (`''` for the root, `'38'`...).
 */
export function readTlv(text: string, path: string): TlvField[] {
  if (typeof text !== 'string') throw new VietQRError('MALFORMED_TLV', 'payload must be a string', 'payload');
  const fields: TlvField[] = [];
  const seen = new Set<string>();
  for (let offset = 0; offset < text.length; ) {
    const id = text.slice(offset, offset + 2);
    const end = offset + 4 + +text.slice(offset + 2, offset + 4);
    const valid = /^\d{4}$/.test(text.slice(offset, offset + 4));
    if (!valid || end === offset + 4 || end > text.length || seen.has(id)) {
      // A truncated object, a non-digit ID or length, an empty or overlong value, or a repeated ID.
      throw new VietQRError('MALFORMED_TLV', `bad TLV data object at ${path || 'root'} offset ${offset}`, /^\d\d$/.test(id) ? (path ? `${path}.${id}` : id) : path || undefined);
    }
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
