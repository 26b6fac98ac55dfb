import { crc16Hex } from './crc16.js';
import { VietQRError } from './errors.js';
import { readTlv, tlv, type TlvField } from './tlv.js';

/** NAPAS's GUID for VietQR (field 38.00). */
export const NAPAS_GUID = 'A000000727';
/** Service codes of field 38.02. */
export const SERVICE_CODES = { account: 'QRIBFTTA', card: 'QRIBFTTC' } as const;

/** What {@link encodeVietQR} takes. Text fields must be printable ASCII (see {@link toMemo}). */
export interface VietQRInput {
  /** Acquirer BIN, 6 digits (field 38.01.00). */
  bin: string;
  /** Account or card number, 1–19 letters/digits (field 38.01.01). */
  account: string;
  /** `account` → QRIBFTTA (default), `card` → QRIBFTTC. */
  service?: 'account' | 'card';
  /** VND, a positive integer of at most 13 digits: number, bigint or digit string. */
  amount?: number | bigint | string;
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
  /** Point of initiation: `dynamic` (12) by default when an amount is given, `static` (11) otherwise. */
  initiation?: 'static' | 'dynamic';
}

/** What {@link decodeVietQR} returns. `amount` is a string of digits. */
export interface VietQRData {
  initiation: 'static' | 'dynamic';
  bin: string;
  account: string;
  service: 'account' | 'card';
  amount?: string;
  purpose?: string;
  billNumber?: string;
  storeLabel?: string;
  referenceLabel?: string;
  terminalLabel?: string;
  merchantName?: string;
  merchantCity?: string;
  mcc?: string;
  /** ISO 4217 numeric, `704` for VND. */
  currency: string;
  /** `VN`. */
  country: string;
  /** Field 63 as found (upper-cased). */
  crc: string;
  /** Fields this decoder does not map, kept by path (`26`, `80`, `62.09`, `38.03`...). */
  unknownFields: Record<string, string>;
}

/** Text fields of template 62 that VietQR names, with their input property. */
const ADDITIONAL_FIELDS = [
  ['01', 'billNumber'],
  ['03', 'storeLabel'],
  ['05', 'referenceLabel'],
  ['07', 'terminalLabel'],
  ['08', 'purpose'],
] as const;

const MAX_AMOUNT_DIGITS = 13;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const fail = (code: VietQRError['code'], field: string, message: string): never => {
  throw new VietQRError(code, message, field);
};

function textField(value: unknown, field: string, maxLength: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return fail('INVALID_FIELD', field, `${field} must be a string.`);
  if (!PRINTABLE_ASCII.test(value)) {
    return fail('NOT_ASCII', field, `${field} must be printable ASCII (no diacritics): use toMemo() to convert Vietnamese text.`);
  }
  if (value.length > maxLength) {
    return fail('FIELD_TOO_LONG', field, `${field} is ${value.length} characters; the limit is ${maxLength} (use toMemo() to fit it).`);
  }
  return value;
}

/** A positive whole number of VND as canonical digits (no sign, no leading zeros). */
export function normalizeAmount(amount: unknown, field = 'amount'): string {
  let digits: string;
  if (typeof amount === 'number') {
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      return fail('INVALID_AMOUNT', field, 'The amount must be a positive whole number of VND.');
    }
    digits = String(amount);
  } else if (typeof amount === 'bigint') {
    if (amount <= 0n) return fail('INVALID_AMOUNT', field, 'The amount must be a positive whole number of VND.');
    digits = amount.toString();
  } else if (typeof amount === 'string' && /^\d+$/.test(amount)) {
    digits = amount.replace(/^0+/, '');
    if (!digits) return fail('INVALID_AMOUNT', field, 'The amount must not be zero.');
  } else {
    return fail('INVALID_AMOUNT', field, 'The amount must be a positive whole number of VND (digits only, no separators or decimals).');
  }
  if (digits.length > MAX_AMOUNT_DIGITS) {
    return fail('INVALID_AMOUNT', field, `The amount has ${digits.length} digits; VietQR allows at most ${MAX_AMOUNT_DIGITS}.`);
  }
  return digits;
}

function checkBin(bin: unknown, field: string): string {
  if (typeof bin !== 'string' || !/^\d{6}$/.test(bin)) return fail('INVALID_BIN', field, 'The bank BIN must be exactly 6 digits.');
  return bin;
}

function checkAccount(account: unknown, field: string): string {
  if (typeof account !== 'string' || !/^[0-9A-Za-z]{1,19}$/.test(account)) {
    return fail('INVALID_ACCOUNT', field, 'The account or card number must be 1–19 letters or digits, without spaces.');
  }
  return account;
}

/**
 * Encodes a NAPAS VietQR payload: IDs in ascending order, CRC as 4 upper-case hex digits.
 * Throws {@link VietQRError} (and nothing else) when any field breaks the spec; never truncates.
 *
 * @example
 * encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA LE PHI' });
 */
export function encodeVietQR(input: VietQRInput): string {
  if (typeof input !== 'object' || input === null) fail('INVALID_FIELD', 'input', 'encodeVietQR expects an object.');
  const bin = checkBin(input.bin, 'bin');
  const account = checkAccount(input.account, 'account');
  const service = input.service ?? 'account';
  if (service !== 'account' && service !== 'card') fail('INVALID_FIELD', 'service', "service must be 'account' or 'card'.");
  const amount = input.amount === undefined || input.amount === null ? undefined : normalizeAmount(input.amount);
  const initiation = input.initiation ?? (amount ? 'dynamic' : 'static');
  if (initiation !== 'static' && initiation !== 'dynamic') fail('INVALID_FIELD', 'initiation', "initiation must be 'static' or 'dynamic'.");
  const mcc = input.mcc === undefined || input.mcc === '' ? undefined : input.mcc;
  if (mcc !== undefined && (typeof mcc !== 'string' || !/^\d{4}$/.test(mcc))) fail('INVALID_FIELD', 'mcc', 'mcc must be 4 digits.');
  const merchantName = textField(input.merchantName, 'merchantName', 25);
  const merchantCity = textField(input.merchantCity, 'merchantCity', 15);

  let additional = '';
  for (const [id, name] of ADDITIONAL_FIELDS) {
    const value = textField(input[name], name, 25);
    if (value) additional += tlv(id, value);
  }
  if (additional.length > 99) {
    fail('FIELD_TOO_LONG', 'additionalData', `The additional data (field 62) totals ${additional.length} characters; the limit is 99.`);
  }

  const beneficiary = tlv('00', bin) + tlv('01', account);
  let payload =
    '000201' +
    (initiation === 'dynamic' ? '010212' : '010211') +
    tlv('38', tlv('00', NAPAS_GUID) + tlv('01', beneficiary) + tlv('02', SERVICE_CODES[service])) +
    (mcc ? tlv('52', mcc) : '') +
    '5303704' +
    (amount ? tlv('54', amount) : '') +
    '5802VN' +
    (merchantName ? tlv('59', merchantName) : '') +
    (merchantCity ? tlv('60', merchantCity) : '') +
    (additional ? tlv('62', additional) : '') +
    '6304';
  payload += crc16Hex(payload);
  return payload;
}

/**
 * Splits a payload into its root data objects after checking the overall frame: a string, `00` first,
 * `63` last with 4 hex digits, and a CRC that matches (upper- or lower-case).
 */
export function readFrame(payload: unknown): { fields: TlvField[]; crc: string } {
  if (typeof payload !== 'string') return fail('MALFORMED_TLV', 'payload', 'The QR payload must be a string.');
  const fields = readTlv(payload, '');
  if (fields[0]?.id !== '00') fail('MALFORMED_TLV', '00', 'The payload must start with field 00 (payload format indicator).');
  const last = fields[fields.length - 1]!;
  if (last.id !== '63' || !/^[0-9A-Fa-f]{4}$/.test(last.value)) {
    fail('MALFORMED_TLV', '63', 'The payload must end with field 63: a CRC of 4 hex digits.');
  }
  const crc = last.value.toUpperCase();
  const expected = crc16Hex(payload.slice(0, -4));
  if (crc !== expected) fail('BAD_CRC', '63', `The CRC is ${crc} but the payload's CRC is ${expected}.`);
  return { fields, crc };
}

/**
 * Decodes and validates a VietQR payload. Accepts any field order, a lower-case CRC and fields it does
 * not know (kept in `unknownFields`). Throws {@link VietQRError} (and nothing else).
 *
 * @example
 * decodeVietQR(payload).amount; // '50000'
 */
export function decodeVietQR(payload: string): VietQRData {
  const { fields, crc } = readFrame(payload);
  const root = new Map(fields.map((f) => [f.id, f.value]));
  const unknownFields: Record<string, string> = {};

  if (root.get('00') !== '01') fail('INVALID_FIELD', '00', 'Field 00 (payload format indicator) must be 01.');

  const merchant = root.get('38');
  if (merchant === undefined) {
    const vnpay = fields.some((f) => Number(f.id) >= 26 && Number(f.id) <= 51 && f.value.includes('A000000775'));
    fail('NOT_VIETQR', '38', vnpay ? 'This is a VNPAY-QR code, not a VietQR bank transfer.' : 'This EMVCo QR has no VietQR beneficiary (field 38).');
  }
  const m = new Map(readTlv(merchant!, '38').map((f) => [f.id, f.value]));
  if (m.get('00') !== NAPAS_GUID) fail('NOT_VIETQR', '38.00', `Field 38 is not a NAPAS VietQR (GUID ${NAPAS_GUID}).`);
  const beneficiaryValue = m.get('01') ?? fail('MISSING_FIELD', '38.01', 'Field 38.01 (beneficiary) is missing.');
  const b = new Map(readTlv(beneficiaryValue, '38.01').map((f) => [f.id, f.value]));
  const bin = checkBin(b.get('00'), '38.01.00');
  const account = checkAccount(b.get('01'), '38.01.01');
  for (const [id, value] of b) if (id !== '00' && id !== '01') unknownFields[`38.01.${id}`] = value;
  const serviceCode = m.get('02') ?? fail('MISSING_FIELD', '38.02', 'Field 38.02 (service code) is missing.');
  const service = serviceCode === SERVICE_CODES.account ? 'account' : serviceCode === SERVICE_CODES.card ? 'card' : undefined;
  if (!service) fail('INVALID_FIELD', '38.02', `Unknown service code ${serviceCode}; expected QRIBFTTA or QRIBFTTC.`);
  for (const [id, value] of m) if (id !== '00' && id !== '01' && id !== '02') unknownFields[`38.${id}`] = value;

  const pointOfInitiation = root.get('01');
  if (pointOfInitiation !== undefined && pointOfInitiation !== '11' && pointOfInitiation !== '12') {
    fail('INVALID_FIELD', '01', 'Field 01 (point of initiation) must be 11 (static) or 12 (dynamic).');
  }
  const currency = root.get('53') ?? fail('MISSING_FIELD', '53', 'Field 53 (currency) is missing.');
  if (currency !== '704') fail('INVALID_FIELD', '53', `Currency ${currency} is not VND (704).`);
  const country = root.get('58') ?? fail('MISSING_FIELD', '58', 'Field 58 (country) is missing.');
  if (country !== 'VN') fail('INVALID_FIELD', '58', `Country ${country} is not VN.`);

  const data: VietQRData = {
    initiation: pointOfInitiation === '12' ? 'dynamic' : 'static',
    bin,
    account,
    service: service!,
    currency,
    country,
    crc,
    unknownFields,
  };

  const amount = root.get('54');
  if (amount !== undefined) {
    // The spec allows a trailing "." with no decimals ("50000."); VND has no minor unit.
    if (amount.length > MAX_AMOUNT_DIGITS) fail('INVALID_AMOUNT', '54', 'Field 54 (amount) is longer than 13 characters.');
    data.amount = normalizeAmount(amount.endsWith('.') ? amount.slice(0, -1) : amount, '54');
  }
  const mcc = root.get('52');
  if (mcc !== undefined) {
    if (!/^\d{4}$/.test(mcc)) fail('INVALID_FIELD', '52', 'Field 52 (MCC) must be 4 digits.');
    data.mcc = mcc;
  }
  const merchantName = root.get('59');
  if (merchantName !== undefined) data.merchantName = textField(merchantName, '59', 25)!;
  const merchantCity = root.get('60');
  if (merchantCity !== undefined) data.merchantCity = textField(merchantCity, '60', 15)!;

  const additional = root.get('62');
  if (additional !== undefined) {
    const named = new Map<string, string>(ADDITIONAL_FIELDS);
    for (const { id, value } of readTlv(additional, '62')) {
      const name = named.get(id) as (typeof ADDITIONAL_FIELDS)[number][1] | undefined;
      if (name) data[name] = textField(value, `62.${id}`, 25)!;
      else unknownFields[`62.${id}`] = value;
    }
  }

  for (const { id, value } of fields) {
    if (!['00', '01', '38', '52', '53', '54', '58', '59', '60', '62', '63'].includes(id)) unknownFields[id] = value;
  }
  return data;
}
