import { crc16Hex } from './crc16.js';
import { VietQRError } from './errors.js';
import { readTlv } from './tlv.js';
import { NAPAS_GUID } from './vietqr.js';

/** One data object of an EMVCo merchant-presented QR, with its sub-objects when it is a template. */
export interface EmvField {
  id: string;
  value: string;
  /** Present for templates (26–51 merchant accounts, 62, 64, 80–99) whose value parses as TLV. */
  children?: EmvField[];
}

/** What kind of QR a payload is. */
export type EmvQrKind = 'vietqr' | 'vnpayqr' | 'other';

/** A merchant-account scheme found in fields 26–51 (and 80–99): its field and globally unique id. */
export interface EmvScheme {
  id: string;
  /** Sub-field 00 of the template: an AID (`A000000727`) or a reverse domain (`SG.PAYNOW`). */
  guid: string;
  /** A readable name when the GUID is known (`NAPAS VietQR`, `VNPAY-QR`, `PromptPay`, `PayNow`...). */
  name?: string;
}

/** The tolerant parse of any EMVCo merchant-presented QR. */
export interface EmvQr {
  kind: EmvQrKind;
  /** Whether field 63 matches the CRC of the payload (upper- or lower-case hex). */
  crcValid: boolean;
  /** Field 63 as found, or undefined when it is missing. */
  crc?: string;
  /** Point of initiation: `static` (11), `dynamic` (12), or undefined. */
  initiation?: 'static' | 'dynamic';
  /** Every root data object in payload order. */
  fields: EmvField[];
  /** Merchant-account schemes present (a QR may carry several). */
  schemes: EmvScheme[];
}

const KNOWN_GUIDS: Record<string, string> = {
  [NAPAS_GUID]: 'NAPAS VietQR',
  A000000775: 'VNPAY-QR',
  A000000677010111: 'PromptPay',
  A000000677010112: 'PromptPay (bill payment)',
  'SG.PAYNOW': 'PayNow',
  'SG.COM.NETS': 'NETS',
  'COM.GRAB': 'GrabPay',
  'ID.CO.QRIS.WWW': 'QRIS',
  A000000615: 'DuitNow',
};

const isTemplate = (id: number) => (id >= 26 && id <= 51) || id === 62 || id === 64 || id >= 80;

function parseChildren(field: EmvField, depth: number): void {
  try {
    field.children = readTlv(field.value, field.id);
  } catch {
    return; // Not TLV inside: keep the raw value (tolerant by design).
  }
  if (depth < 1) {
    // Templates nest once more in practice (VietQR's 38.01 beneficiary).
    for (const child of field.children) if (/^\d{4}/.test(child.value)) parseChildren(child, depth + 1);
  }
}

/**
 * Parses any EMVCo merchant-presented QR (VietQR, VNPAY-QR, MoMo's field 80, PromptPay, PayNow...)
 * into a TLV tree and says what it is. Tolerant: a bad CRC is reported (`crcValid: false`), not
 * thrown; templates that do not parse are kept as raw values. Throws {@link VietQRError}
 * (`MALFORMED_TLV`) only when the root itself is not a TLV sequence.
 *
 * @example
 * const qr = parseEmvQr(text);
 * if (qr.kind === 'vnpayqr') showVnpayHint();
 */
export function parseEmvQr(payload: string): EmvQr {
  if (typeof payload !== 'string') throw new VietQRError('MALFORMED_TLV', 'The QR payload must be a string.', 'payload');
  const fields: EmvField[] = readTlv(payload, '');
  const schemes: EmvScheme[] = [];
  for (const field of fields) {
    const id = Number(field.id);
    if (!isTemplate(id)) continue;
    parseChildren(field, 0);
    const guid = field.children?.find((child) => child.id === '00')?.value;
    if (guid && ((id >= 26 && id <= 51) || id >= 80)) {
      const name = KNOWN_GUIDS[guid.toUpperCase()];
      schemes.push(name ? { id: field.id, guid, name } : { id: field.id, guid });
    }
  }
  const last = fields[fields.length - 1];
  const crc = last?.id === '63' ? last.value : undefined;
  const crcValid = crc !== undefined && /^[0-9A-Fa-f]{4}$/.test(crc) && crc.toUpperCase() === crc16Hex(payload.slice(0, -4));
  const poi = fields.find((f) => f.id === '01')?.value;
  const guids = schemes.map((s) => s.guid.toUpperCase());
  const kind: EmvQrKind = schemes.some((s) => s.id === '38' && s.guid.toUpperCase() === NAPAS_GUID)
    ? 'vietqr'
    : guids.includes('A000000775')
      ? 'vnpayqr'
      : 'other';
  const result: EmvQr = { kind, crcValid, fields, schemes };
  if (crc !== undefined) result.crc = crc;
  if (poi === '11' || poi === '12') result.initiation = poi === '12' ? 'dynamic' : 'static';
  return result;
}
