import { fail } from './errors.js';

/** One EMVCo data object: `ID(2) LEN(2) VALUE`. */
export interface TlvField {
  /** Two-digit ID. */
  id: string;
  value: string;
}

/** NAPAS's GUID for VietQR (field 38.00). */
export const NAPAS_GUID = 'A000000727';

/**
 * Service codes of field 38.02: transfers to an account or a card (NAPAS 247), payment to a
 * bank-issued merchant QR (NAPAS QR Push; 38.02 may also be absent), cash withdrawal at an ATM.
 */
export const SERVICE_CODES = { account: 'QRIBFTTA', card: 'QRIBFTTC', merchant: 'QRPUSH', cash: 'QRCASH' } as const;

/** What a VietQR is for: `account`/`card` (a transfer), `merchant` (QR Push) or `cash` (withdrawal). */
export type VietQRService = keyof typeof SERVICE_CODES;

/** The service field 38.02 names; a QR Push may leave 38.02 out (`undefined`). Undefined for an unknown code. */
export const serviceOf = (code: string | undefined): VietQRService | undefined =>
  code === undefined || code === 'QRPUSH'
    ? 'merchant'
    : code === 'QRIBFTTA'
      ? 'account'
      : code === 'QRIBFTTC'
        ? 'card'
        : code === 'QRCASH'
          ? 'cash'
          : undefined;

/**
 * Where the data objects of one TLV sequence lie in its text, found in one strict pass and kept in
 * typed arrays that are reused from one read to the next: reading allocates nothing (the decoder's
 * hot path). `ids[k]`, `starts[k]`, `ends[k]` describe the k-th object of `count`; `at(id)` finds one.
 */
export class TlvIndex {
  count = 0;
  readonly ids = new Uint8Array(100);
  readonly starts = new Int32Array(100);
  readonly ends = new Int32Array(100);
  /** Position of each ID in the current read, valid where `seen[id]` is the read's generation. */
  private readonly _positions = new Uint8Array(100);
  // A float holds every generation exactly up to 2^53 reads: no clearing between reads.
  private readonly _seen = new Float64Array(100);
  private _generation = 0;

  /**
   * Reads `text` from `start` to `end` strictly: every ID and length is two digits, every value is
   * 1–99 characters and fits, nothing is left over, no ID repeats. `path` names the template for
   * errors (`''` for the root, `'38'`...). Throws VietQRError `MALFORMED_TLV` naming the object at fault.
   */
  read(text: string, start: number, end: number, path: string): this {
    const generation = ++this._generation;
    let count = 0;
    for (let offset = start; offset < end; count++) {
      // Small integers only (no NaN): a non-digit is caught by `>>> 0` (negative becomes huge).
      const idTens = text.charCodeAt(offset) - 48;
      const idUnits = text.charCodeAt(offset + 1) - 48;
      const lengthTens = text.charCodeAt(offset + 2) - 48;
      const length = lengthTens * 10 + text.charCodeAt(offset + 3) - 48;
      const id = idTens * 10 + idUnits;
      const valueEnd = offset + 4 + length;
      // A truncated object, a non-digit, an empty or overlong value, or a repeated ID.
      if (
        offset + 4 > end ||
        idTens >>> 0 > 9 ||
        idUnits >>> 0 > 9 ||
        lengthTens >>> 0 > 9 ||
        (text.charCodeAt(offset + 3) - 48) >>> 0 > 9 ||
        length === 0 ||
        valueEnd > end ||
        this._seen[id] === generation
      ) {
        const two = text.slice(offset, Math.min(offset + 2, end));
        fail(
          'MALFORMED_TLV',
          /^\d\d$/.test(two) ? (path ? `${path}.${two}` : two) : path || undefined,
          `bad TLV at ${path || 'root'} offset ${offset - start}`,
        );
      }
      this._seen[id] = generation;
      this._positions[id] = count;
      this.ids[count] = id;
      this.starts[count] = offset + 4;
      this.ends[count] = offset = valueEnd;
    }
    this.count = count;
    return this;
  }

  /** The position of object `id` in the last read, or -1 when it is absent. */
  at(id: number): number {
    return this._seen[id] === this._generation ? this._positions[id]! : -1;
  }
}

const index = new TlvIndex();

/**
 * Reads a TLV sequence strictly (see {@link TlvIndex.read}) into its data objects. `path` names the
 * template for error messages (`''` for the root, `'38'`...).
 */
export function readTlv(text: string, path: string): TlvField[] {
  if (typeof text !== 'string') fail('MALFORMED_TLV', 'payload', 'payload must be a string');
  const { count, starts, ends } = index.read(text, 0, text.length, path);
  const fields: TlvField[] = [];
  for (let k = 0; k < count; k++) fields.push({ id: text.slice(starts[k]! - 4, starts[k]! - 2), value: text.slice(starts[k], ends[k]) });
  return fields;
}

/** `00`…`99`: lengths written without a number-to-string conversion each time. */
const LENGTHS = Array.from({ length: 100 }, (_, n) => (n < 10 ? '0' : '') + n);

/** Writes one data object; the caller has checked that `value` is 1–99 characters. */
export function tlv(id: string, value: string): string {
  return id + LENGTHS[value.length]! + value;
}
