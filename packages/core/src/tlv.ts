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
// IDs seen by the current readTlv call, marked with the call's generation: no allocation per call
// (a float holds every generation exactly up to 2^53 calls).
const seen = new Float64Array(100);
let generation = 0;

export function readTlv(text: string, path: string): TlvField[] {
  if (typeof text !== 'string') throw new VietQRError('MALFORMED_TLV', 'payload must be a string', 'payload');
  const fields: TlvField[] = [];
  const call = ++generation;
  for (let offset = 0; offset < text.length; ) {
    const id = digit(text, offset) * 10 + digit(text, offset + 1);
    const end = offset + 4 + digit(text, offset + 2) * 10 + digit(text, offset + 3);
    // NaN (a non-digit or a truncated object), an empty or overlong value, or a repeated ID.
    if (!(end > offset + 4 && end <= text.length && id >= 0) || seen[id] === call) {
      const two = text.slice(offset, offset + 2);
      throw new VietQRError('MALFORMED_TLV', `bad TLV at ${path || 'root'} offset ${offset}`, /^\d\d$/.test(two) ? (path ? `${path}.${two}` : two) : path || undefined);
    }
    seen[id] = call;
    fields.push({ id: text.slice(offset, offset + 2), value: text.slice(offset + 4, end) });
    offset = end;
  }
  return fields;
}

/** The digit at `index`, or NaN (which fails every comparison) when it is not one. */
function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : NaN;
}

/** Writes one data object; the caller has checked that `value` is 1–99 characters. */
export function tlv(id: string, value: string): string {
  return id + (value.length < 10 ? '0' : '') + value.length + value;
}
