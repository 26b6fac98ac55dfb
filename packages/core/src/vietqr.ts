import { hex4, printableCrc } from './crc16.js';
import { fail } from './errors.js';
import { NAPAS_GUID, SERVICE_CODES, serviceOf, TlvIndex, tlv, type VietQRService } from './tlv.js';

export { NAPAS_GUID, SERVICE_CODES, type VietQRService };

/** The optional fields a VietQR carries, the same in what is encoded and what is decoded. */
export interface VietQRFields {
  /** Purpose of transaction, the transfer memo (62.08, ≤ 25). */
  purpose?: string;
  /** Bill number (62.01, ≤ 25). */
  billNumber?: string;
  /** Store label (62.03, ≤ 25). */
  storeLabel?: string;
  /** Reference label (62.05, ≤ 25). */
  referenceLabel?: string;
  /** Terminal label (62.07, ≤ 25). */
  terminalLabel?: string;
  /** Merchant name (59, ≤ 25). */
  merchantName?: string;
  /** Merchant city (60, ≤ 15). */
  merchantCity?: string;
  /** Merchant category code (52, 4 digits). */
  mcc?: string;
}

interface VietQRInputBase extends VietQRFields {
  /** Acquirer BIN, 6 digits (field 38.01.00). */
  bin: string;
  /** VND, a positive integer of at most 13 digits: number, bigint or digit string. */
  amount?: number | bigint | string;
  /** Point of initiation: `dynamic` (12) by default when an amount is given, `static` (11) otherwise. */
  initiation?: 'static' | 'dynamic';
}

/** What {@link encodeVietQR} takes for a transfer (the default). */
export interface VietQRTransferInput extends VietQRInputBase {
  /** Account or card number, 1–19 letters/digits (field 38.01.01). */
  account: string;
  /** `account` → QRIBFTTA (default), `card` → QRIBFTTC. */
  service?: 'account' | 'card';
}

/** What {@link encodeVietQR} takes for a merchant (QR Push) or cash-withdrawal QR. */
export interface VietQRMerchantInput extends VietQRInputBase {
  /** The merchant id the acquirer gave (cash: the ATM's), 1–19 printable ASCII (field 38.01.01). */
  merchantId: string;
  /** `merchant` → QRPUSH, `cash` → QRCASH. */
  service: 'merchant' | 'cash';
}

/** What {@link encodeVietQR} takes. Text fields must be printable ASCII (see {@link toMemo}). */
export type VietQRInput = VietQRTransferInput | VietQRMerchantInput;

interface VietQRDataBase extends VietQRFields {
  initiation: 'static' | 'dynamic';
  /** Acquirer BIN (38.01.00). */
  bin: string;
  /** Digits, canonical (`50000`, whatever zero fraction the payload carried). */
  amount?: string;
  /** ISO 4217 numeric, `704` for VND. */
  currency: string;
  /** `VN`. */
  country: string;
  /** Field 63 as found (upper-cased). */
  crc: string;
  /** Fields this decoder does not map, kept by path (`26`, `80`, `62.09`, `38.03`...). */
  unknownFields: Record<string, string>;
}

/** A transfer to an account or a card (38.02 `QRIBFTTA` / `QRIBFTTC`). */
export interface VietQRTransferData extends VietQRDataBase {
  service: 'account' | 'card';
  /** Account or card number (38.01.01). */
  account: string;
  merchantId?: undefined;
}

/** A bank-issued merchant QR (38.02 `QRPUSH` or absent) or a cash-withdrawal QR (38.02 `QRCASH`). */
export interface VietQRMerchantData extends VietQRDataBase {
  service: 'merchant' | 'cash';
  /** The merchant id the acquirer gave (cash: the ATM's id), 38.01.01 — not an account number. */
  merchantId: string;
  /** A merchant or cash QR names no account: `account` is absent. */
  account?: undefined;
}

/** What {@link decodeVietQR} returns: narrow on `service` to read `account` or `merchantId`. */
export type VietQRData = VietQRTransferData | VietQRMerchantData;

/** A VietQRData while it is being filled in. */
type Draft = VietQRDataBase & { service: VietQRService; account?: string; merchantId?: string };

/** The text fields VietQR names (59, 60 and 62's 01, 03, 05, 07, 08). */
type TextField = 'billNumber' | 'storeLabel' | 'referenceLabel' | 'terminalLabel' | 'purpose' | 'merchantName' | 'merchantCity';

const missing = (path: string) => fail('MISSING_FIELD', path, `field ${path} is missing`);

// Character classes as bits of a table: one loop and one lookup per character, no regular expression.
const DIGITS = 1;
const ALPHANUMERIC = 2;
const PRINTABLE = 4;
const CHARACTER_CLASSES = new Uint8Array(128);
for (let c = 32; c < 127; c++) {
  const lower = c | 32;
  CHARACTER_CLASSES[c] = PRINTABLE | (c >= 48 && c <= 57 ? DIGITS | ALPHANUMERIC : lower >= 97 && lower <= 122 ? ALPHANUMERIC : 0);
}

/** Whether `text` is `min`–`max` characters, each of class `kind`. */
function isMade(text: unknown, kind: number, min: number, max: number): text is string {
  if (typeof text !== 'string' || text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || !(CHARACTER_CLASSES[c]! & kind)) return false;
  }
  return true;
}

const checkBin = (bin: unknown): string => (isMade(bin, DIGITS, 6, 6) ? bin : fail('INVALID_BIN', 'bin', 'BIN must be 6 digits'));

/** The beneficiary of 38.01.01: an account or card number, or a merchant (ATM) id. */
const checkBeneficiary = (service: VietQRService, id: unknown): string =>
  service === 'account' || service === 'card'
    ? isMade(id, ALPHANUMERIC, 1, 19)
      ? id
      : fail('INVALID_ACCOUNT', 'account', 'account must be 1-19 letters or digits')
    : isMade(id, PRINTABLE, 1, 19)
      ? id
      : fail('INVALID_FIELD', 'merchantId', 'merchantId must be 1-19 printable ASCII');

/** Checks text field `name`; `printable` when its characters are known to be printable ASCII (then only its length is checked). */
function checkText(name: TextField, value: unknown, max: number, printable?: boolean): string {
  if (!printable) {
    if (typeof value !== 'string') fail('INVALID_FIELD', name, `${name} must be a string`);
    if (!isMade(value, PRINTABLE, 0, Infinity)) fail('NOT_ASCII', name, `${name} must be printable ASCII (see toMemo)`);
  }
  return (value as string).length > max ? fail('FIELD_TOO_LONG', name, `${name} is over ${max} characters`) : (value as string);
}

const checkMcc = (mcc: unknown): string => (isMade(mcc, DIGITS, 4, 4) ? mcc : fail('INVALID_FIELD', 'mcc', 'mcc must be 4 digits'));

const badAmount = (detail = ''): never => fail('INVALID_AMOUNT', 'amount', `amount must be a positive whole number of VND, at most 13 digits${detail}`);

/** `digits` without its leading zeros, when it is a positive whole number of at most 13 digits. */
const canonicalDigits = (digits: string): string => {
  let first = 0;
  while (digits.charCodeAt(first) === 48) first++;
  return isMade(digits, DIGITS, 1, Infinity) && digits.length - first >= 1 && digits.length - first <= 13 ? digits.slice(first) : badAmount();
};

/** A positive whole number of VND as canonical digits (no sign, no leading zeros). */
export function normalizeAmount(amount: unknown): string {
  return canonicalDigits(
    (typeof amount === 'number' && Number.isSafeInteger(amount)) || typeof amount === 'bigint' ? String(amount) : typeof amount === 'string' ? amount : '',
  );
}

/**
 * Field 54 as read: digits, optionally a point and a fraction of zeros (`50000.`, `50000.00`: some
 * generators write two decimals). VND has no minor unit, so a non-zero fraction is refused.
 */
function readAmount(value: string): string {
  const point = value.indexOf('.');
  if (point < 0) return canonicalDigits(value);
  const fraction = value.slice(point + 1);
  if (!isMade(fraction, DIGITS, 0, Infinity)) badAmount();
  for (let i = 0; i < fraction.length; i++) {
    if (fraction.charCodeAt(i) !== 48) badAmount(`: ${value} has a non-zero fraction and VND has no minor unit`);
  }
  return canonicalDigits(value.slice(0, point));
}

/** A text field as a caller gave it: absent (undefined or empty) or checked. */
const optionalText = (name: TextField, value: unknown, max: number): string => (value == null || value === '' ? '' : checkText(name, value, max));

/** One data object, or nothing for an empty value. */
const optional = (id: string, value: string): string => (value ? tlv(id, value) : '');

/**
 * Encodes a NAPAS VietQR payload: IDs in ascending order, CRC as 4 upper-case hex digits. A transfer
 * by default; `service: 'merchant'` or `'cash'` with a `merchantId` for a QR Push or QRCASH code.
 * Throws {@link VietQRError} (and nothing else) when any field breaks the spec; never truncates.
 *
 * @example
 * encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA LE PHI' });
 */
export function encodeVietQR(input: VietQRInput): string {
  if (typeof input !== 'object' || input === null) fail('INVALID_FIELD', 'input', 'input must be an object');
  // Every field read by name (no loop over field names: keyed access is the slow part of validating).
  const service: unknown = input.service ?? 'account';
  if (service !== 'account' && service !== 'card' && service !== 'merchant' && service !== 'cash')
    fail('INVALID_FIELD', 'service', 'service must be account, card, merchant or cash');
  const transfer = service === 'account' || service === 'card';
  const bin = checkBin(input.bin);
  const id = checkBeneficiary(service as VietQRService, transfer ? (input as VietQRTransferInput).account : (input as VietQRMerchantInput).merchantId);
  const amount = input.amount == null ? '' : normalizeAmount(input.amount);
  const initiation = input.initiation ?? (amount ? 'dynamic' : 'static');
  if (initiation !== 'static' && initiation !== 'dynamic') fail('INVALID_FIELD', 'initiation', 'initiation must be static or dynamic');
  const mcc = input.mcc == null || input.mcc === '' ? '' : checkMcc(input.mcc);
  const additional =
    optional('01', optionalText('billNumber', input.billNumber, 25)) +
    optional('03', optionalText('storeLabel', input.storeLabel, 25)) +
    optional('05', optionalText('referenceLabel', input.referenceLabel, 25)) +
    optional('07', optionalText('terminalLabel', input.terminalLabel, 25)) +
    optional('08', optionalText('purpose', input.purpose, 25));
  const merchantName = optionalText('merchantName', input.merchantName, 25);
  const merchantCity = optionalText('merchantCity', input.merchantCity, 15);
  if (additional.length > 99) fail('FIELD_TOO_LONG', 'additionalData', 'field 62 is over 99 characters');
  const payload =
    (initiation === 'dynamic' ? '000201010212' : '000201010211') +
    tlv('38', '0010' + NAPAS_GUID + tlv('01', '0006' + bin + tlv('01', id)) + tlv('02', SERVICE_CODES[service as VietQRService])) +
    optional('52', mcc) +
    '5303704' +
    optional('54', amount) +
    '5802VN' +
    optional('59', merchantName) +
    optional('60', merchantCity) +
    optional('62', additional) +
    '6304';
  return payload + hex4(printableCrc(payload) & 0xffff);
}

// One index per template level, reused by every decode (see TlvIndex): no intermediate arrays.
const root = new TlvIndex();
const accountTemplate = new TlvIndex();
const beneficiaryTemplate = new TlvIndex();
const additionalTemplate = new TlvIndex();

/** The sub-fields of 62 VietQR names, by ID (01, 03, 05, 07, 08). */
const ADDITIONAL_BY_ID = [undefined, 'billNumber', undefined, 'storeLabel', undefined, 'referenceLabel', undefined, 'terminalLabel', 'purpose'] as const;

/** The value of the k-th object of `index` in `text`. */
const valueAt = (text: string, index: TlvIndex, k: number): string => text.slice(index.starts[k], index.ends[k]);
/** The two-digit ID of the k-th object of `index` in `text`. */
const idAt = (text: string, index: TlvIndex, k: number): string => text.slice(index.starts[k]! - 4, index.starts[k]! - 2);
/** Whether the k-th object of `index` is exactly `expected`, compared in place (no slice). */
const is = (text: string, index: TlvIndex, k: number, expected: string): boolean =>
  index.ends[k]! - index.starts[k]! === expected.length && text.startsWith(expected, index.starts[k]);

/** Keeps the objects of `index` past ID `last` in `unknownFields`, by path (`prefix` and ID). */
function keepUnknown(text: string, index: TlvIndex, last: number, prefix: string, unknownFields: Record<string, string>): void {
  for (let j = 0; j < index.count; j++) if (index.ids[j]! > last) unknownFields[prefix + idAt(text, index, j)] = valueAt(text, index, j);
}

/**
 * Whether a merchant-account template of the root just read (26–51, 80–99) names VNPAY-QR's GUID, as
 * `parseEmvQr` would say (`kind: 'vnpayqr'`): the error then says what the QR is. Not on the hot path,
 * and without `parseEmvQr`'s tree, which the main entry's decoder does not carry.
 */
function namesVnpay(payload: string): boolean {
  for (let k = 0; k < root.count; k++) {
    const id = root.ids[k]!;
    if (id < 26 || (id > 51 && id < 80)) continue;
    try {
      const scheme = accountTemplate.read(payload, root.starts[k]!, root.ends[k]!, '');
      const guid = scheme.at(0);
      if (guid >= 0 && valueAt(payload, scheme, guid).toUpperCase() === 'A000000775') return true;
    } catch {
      // Not TLV inside: no scheme there.
    }
  }
  return false;
}

/** The value of hex digit `code`, or NaN. */
const hexDigit = (code: number): number => (code >= 48 && code <= 57 ? code - 48 : (code | 32) >= 97 && (code | 32) <= 102 ? (code | 32) - 87 : NaN);

/**
 * Decodes and validates a VietQR payload in one pass: transfers (`service` `account` / `card`, with
 * `account`) and bank-issued merchant (QR Push) and cash-withdrawal QRs (`merchant` / `cash`, with
 * `merchantId`). Accepts any field order, a lower-case CRC, an amount with a zero fraction and fields
 * it does not know (kept in `unknownFields`). Throws {@link VietQRError} (and nothing else).
 *
 * @example
 * const data = decodeVietQR(payload);
 * data.amount; // '50000'
 * if (data.service === 'merchant') data.merchantId;
 */
export function decodeVietQR(payload: string): VietQRData {
  if (typeof payload !== 'string') fail('MALFORMED_TLV', 'payload', 'payload must be a string');
  const { count, ids, starts, ends } = root.read(payload, 0, payload.length, '');
  // The frame: 00 first, 63 last with 4 hex digits, and a CRC that matches (upper- or lower-case).
  if (count === 0 || ids[0] !== 0) fail('MALFORMED_TLV', '00', 'must start with field 00');
  const crcAt = starts[count - 1]!;
  let found = 0;
  for (let i = crcAt; i < crcAt + 4; i++) found = found * 16 + hexDigit(payload.charCodeAt(i));
  if (ids[count - 1] !== 63 || ends[count - 1] !== crcAt + 4 || !(found >= 0)) fail('MALFORMED_TLV', '63', 'must end with a CRC (field 63)');
  // The CRC's pass also says whether every character is printable ASCII (the usual case): then a text
  // field needs only its length checked, not its characters.
  const scanned = printableCrc(payload, crcAt);
  const printable = scanned <= 0xffff;
  const expected = scanned & 0xffff;
  if (found !== expected) fail('BAD_CRC', '63', `CRC is ${hex4(found)}, expected ${hex4(expected)}`);

  const unknownFields: Record<string, string> = {};
  const at38 = root.at(38);
  if (at38 < 0) fail('NOT_VIETQR', '38', namesVnpay(payload) ? 'a VNPAY-QR, not a VietQR' : 'no VietQR beneficiary (field 38)');
  const template = accountTemplate.read(payload, starts[at38]!, ends[at38]!, '38');
  const guid = template.at(0);
  if (guid < 0 || !is(payload, template, guid, NAPAS_GUID)) fail('NOT_VIETQR', '38.00', 'field 38 is not NAPAS VietQR');
  const serviceAt = template.at(2);
  const serviceCode = serviceAt < 0 ? undefined : valueAt(payload, template, serviceAt);
  // A QR Push may leave 38.02 out; every other service names itself.
  const service = serviceOf(serviceCode) ?? fail('INVALID_FIELD', '38.02', `unknown service code ${serviceCode}`);
  const beneficiaryAt = template.at(1);
  if (beneficiaryAt < 0) missing('38.01');
  const beneficiary = beneficiaryTemplate.read(payload, template.starts[beneficiaryAt]!, template.ends[beneficiaryAt]!, '38.01');
  keepUnknown(payload, template, 2, '38.', unknownFields);
  keepUnknown(payload, beneficiary, 1, '38.01.', unknownFields);
  const binAt = beneficiary.at(0);
  const data = { initiation: 'static', bin: checkBin(binAt < 0 ? missing('38.01.00') : valueAt(payload, beneficiary, binAt)), service } as Draft;
  const idAtBeneficiary = beneficiary.at(1);
  const beneficiaryId = idAtBeneficiary < 0 ? missing('38.01.01') : valueAt(payload, beneficiary, idAtBeneficiary);
  if (service === 'account' || service === 'card') data.account = checkBeneficiary(service, beneficiaryId);
  else data.merchantId = checkBeneficiary(service, beneficiaryId);

  for (let k = 0; k < count - 1; k++) {
    switch (ids[k]) {
      case 0:
        if (!is(payload, root, k, '01')) fail('INVALID_FIELD', '00', 'field 00 must be 01');
        break;
      case 1:
        if (is(payload, root, k, '12')) data.initiation = 'dynamic';
        else if (!is(payload, root, k, '11')) fail('INVALID_FIELD', '01', 'field 01 must be 11 or 12');
        break;
      case 38:
        break; // Read above.
      case 52:
        data.mcc = checkMcc(valueAt(payload, root, k));
        break;
      case 53:
        if (!is(payload, root, k, '704')) fail('INVALID_FIELD', '53', `currency ${valueAt(payload, root, k)} is not VND (704)`);
        break;
      case 54:
        data.amount = readAmount(valueAt(payload, root, k));
        break;
      case 58:
        if (!is(payload, root, k, 'VN')) fail('INVALID_FIELD', '58', `country ${valueAt(payload, root, k)} is not VN`);
        break;
      case 59:
        data.merchantName = checkText('merchantName', valueAt(payload, root, k), 25, printable);
        break;
      case 60:
        data.merchantCity = checkText('merchantCity', valueAt(payload, root, k), 15, printable);
        break;
      case 62: {
        const sub = additionalTemplate.read(payload, starts[k]!, ends[k]!, '62');
        for (let j = 0; j < sub.count; j++) {
          const id = sub.ids[j]!;
          const name = id < 9 ? ADDITIONAL_BY_ID[id] : undefined;
          if (name) data[name] = checkText(name, valueAt(payload, sub, j), 25, printable);
          else unknownFields['62.' + idAt(payload, sub, j)] = valueAt(payload, sub, j);
        }
        break;
      }
      default:
        unknownFields[idAt(payload, root, k)] = valueAt(payload, root, k);
    }
  }
  if (root.at(53) < 0) missing('53');
  if (root.at(58) < 0) missing('58');
  data.currency = '704';
  data.country = 'VN';
  data.crc = hex4(found);
  data.unknownFields = unknownFields;
  return data as VietQRData;
}
