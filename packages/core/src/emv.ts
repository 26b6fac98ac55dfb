import { crc16Hex } from './crc16.js';
import { NAPAS_GUID, readTlv, serviceOf, type VietQRService } from './tlv.js';

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
  /**
   * For a VietQR, what 38.02 says it is for: `account` or `card` (a transfer), `merchant` (QR Push,
   * also when 38.02 is absent) or `cash` (withdrawal); absent for an unknown code or another kind.
   */
  service?: VietQRService;
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
  'SG.PAYNOW': 'PayNow',
};

const isTemplate = (id: number) => (id >= 26 && id <= 51) || id === 62 || id === 64 || id >= 80;

/** Parses a template's value as TLV when it is one (two levels deep: VietQR's 38.01); keeps it raw otherwise. */
function parseChildren(field: EmvField, depth: number): void {
  try {
    field.children = readTlv(field.value, field.id);
    if (depth < 1) for (const child of field.children) parseChildren(child, depth + 1);
  } catch {
    delete field.children; // Not TLV inside (or not at the second level): tolerant by design.
  }
}

/**
 * Parses any EMVCo merchant-presented QR (VietQR, VNPAY-QR, MoMo's field 80, PromptPay, PayNow...)
 * into a TLV tree and says what it is. Tolerant: a bad CRC is reported (`crcValid: false`), not
 * thrown; templates that do not parse are kept as raw values. Throws a VietQRError
 * (`MALFORMED_TLV`) only when the root itself is not a TLV sequence.
 *
 * @example
 * const qr = parseEmvQr(text);
 * if (qr.kind === 'vnpayqr') showVnpayHint();
 */
export function parseEmvQr(payload: string): EmvQr {
  const fields: EmvField[] = readTlv(payload, '');
  const result: EmvQr = { kind: 'other', crcValid: false, fields, schemes: [] };
  for (const field of fields) {
    const id = +field.id;
    if (isTemplate(id)) parseChildren(field, 0);
    const guid = field.children?.find((child) => child.id === '00')?.value;
    if (guid && id !== 62 && id !== 64) {
      const name = KNOWN_GUIDS[guid.toUpperCase()];
      result.schemes.push(name ? { id: field.id, guid, name } : { id: field.id, guid });
      if (name === 'VNPAY-QR' && result.kind === 'other') result.kind = 'vnpayqr';
      if (id === 38 && name === 'NAPAS VietQR') {
        result.kind = 'vietqr';
        const service = serviceOf(field.children!.find((child) => child.id === '02')?.value);
        if (service) result.service = service;
      }
    }
    if (id === 1 && (field.value === '11' || field.value === '12')) result.initiation = field.value === '12' ? 'dynamic' : 'static';
    if (id === 63) {
      result.crc = field.value;
      result.crcValid =
        field === fields[fields.length - 1] && /^[0-9A-F]{4}$/i.test(field.value) && field.value.toUpperCase() === crc16Hex(payload.slice(0, -4));
    }
  }
  return result;
}
