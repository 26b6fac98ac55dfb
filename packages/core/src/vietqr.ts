import { crc16Hex } from './crc16.js';
import { VietQRError } from './errors.js';
import { parseEmvQr } from './emv.js';
import { NAPAS_GUID, readTlv, tlv, type TlvField } from './tlv.js';

export { NAPAS_GUID };

/** Service codes of field 38.02. */
export const SERVICE_CODES = { account: 'QRIBFTTA', card: 'QRIBFTTC' } as const;

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

/** What {@link encodeVietQR} takes. Text fields must be printable ASCII (see {@link toMemo}). */
export interface VietQRInput extends VietQRFields {
  /** Acquirer BIN, 6 digits (field 38.01.00). */
  bin: string;
  /** Account or card number, 1–19 letters/digits (field 38.01.01). */
  account: string;
  /** `account` → QRIBFTTA (default), `card` → QRIBFTTC. */
  service?: 'account' | 'card';
  /** VND, a positive integer of at most 13 digits: number, bigint or digit string. */
  amount?: number | bigint | string;
  /** Point of initiation: `dynamic` (12) by default when an amount is given, `static` (11) otherwise. */
  initiation?: 'static' | 'dynamic';
}

/** What {@link decodeVietQR} returns. `amount` is a string of digits. */
export interface VietQRData extends VietQRFields {
  initiation: 'static' | 'dynamic';
  bin: string;
  account: string;
  service: 'account' | 'card';
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

/** Text fields VietQR names, with their TLV path and length limit. Field 62's come first. */
const TEXT_FIELDS = [
  ['billNumber', '01', 25],
  ['storeLabel', '03', 25],
  ['referenceLabel', '05', 25],
  ['terminalLabel', '07', 25],
  ['purpose', '08', 25],
  ['merchantName', '59', 25],
  ['merchantCity', '60', 15],
] as const;

const ADDITIONAL_BY_ID: Record<string, (typeof TEXT_FIELDS)[number][0]> = { '01': 'billNumber', '03': 'storeLabel', '05': 'referenceLabel', '07': 'terminalLabel', '08': 'purpose' };

const fail = (code: VietQRError['code'], field: string, message: string): never => {
  throw new VietQRError(code, message, field);
};
const missing = (path: string) => fail('MISSING_FIELD', path, `field ${path} is missing`);

/** A positive whole number of VND as canonical digits (no sign, no leading zeros). */
export function normalizeAmount(amount: unknown): string {
  const digits =
    (typeof amount === 'number' && Number.isSafeInteger(amount)) || typeof amount === 'bigint'
      ? String(amount)
      : typeof amount === 'string' && /^\d+$/.test(amount)
        ? amount.replace(/^0+/, '')
        : '';
  if (!/^[1-9]\d{0,12}$/.test(digits)) fail('INVALID_AMOUNT', 'amount', 'amount must be a positive whole number of VND, at most 13 digits');
  return digits;
}

/** Validates an input (from a caller, or read off a payload) into what a payload carries. */
type Validated = Omit<VietQRData, 'currency' | 'country' | 'crc' | 'unknownFields'>;

function validate(input: VietQRInput): Validated {
  if (typeof input !== 'object' || input === null) fail('INVALID_FIELD', 'input', 'input must be an object');
  const { bin, account, service = 'account', mcc } = input;
  if (typeof bin !== 'string' || !/^\d{6}$/.test(bin)) fail('INVALID_BIN', 'bin', 'bank BIN must be 6 digits');
  if (typeof account !== 'string' || !/^[0-9A-Za-z]{1,19}$/.test(account)) fail('INVALID_ACCOUNT', 'account', 'account must be 1-19 letters or digits');
  if (service !== 'account' && service !== 'card') fail('INVALID_FIELD', 'service', 'service must be account or card');
  const amount = input.amount == null ? undefined : normalizeAmount(input.amount);
  const initiation = input.initiation ?? (amount ? 'dynamic' : 'static');
  if (initiation !== 'static' && initiation !== 'dynamic') fail('INVALID_FIELD', 'initiation', 'initiation must be static or dynamic');
  const data: Validated = { initiation, bin, account, service };
  if (amount) data.amount = amount;
  if (mcc != null && mcc !== '') data.mcc = typeof mcc === 'string' && /^\d{4}$/.test(mcc) ? mcc : fail('INVALID_FIELD', 'mcc', 'mcc must be 4 digits');
  for (const [name, , max] of TEXT_FIELDS) {
    const value: unknown = input[name];
    if (value == null || value === '') continue;
    if (typeof value !== 'string') fail('INVALID_FIELD', name, `${name} must be a string`);
    if (!/^[\x20-\x7e]*$/.test(value as string)) fail('NOT_ASCII', name, `${name} must be printable ASCII (see toMemo)`);
    if ((value as string).length > max) fail('FIELD_TOO_LONG', name, `${name} is over ${max} characters`);
    data[name] = value as string;
  }
  return data;
}

/**
 * Encodes a NAPAS VietQR payload: IDs in ascending order, CRC as 4 upper-case hex digits.
 * Throws {@link VietQRError} (and nothing else) when any field breaks the spec; never truncates.
 *
 * @example
 * encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA LE PHI' });
 */
export function encodeVietQR(input: VietQRInput): string {
  const data = validate(input);
  let additional = '';
  for (const [name, id] of TEXT_FIELDS.slice(0, 5)) if (data[name]) additional += tlv(id, data[name]);
  if (additional.length > 99) fail('FIELD_TOO_LONG', 'additionalData', 'field 62 is over 99 characters');
  const optional = (id: string, value: string | undefined) => (value ? tlv(id, value) : '');
  const payload =
    '000201' +
    (data.initiation === 'dynamic' ? '010212' : '010211') +
    tlv('38', tlv('00', NAPAS_GUID) + tlv('01', tlv('00', data.bin) + tlv('01', data.account)) + tlv('02', SERVICE_CODES[data.service])) +
    optional('52', data.mcc) +
    '5303704' +
    optional('54', data.amount) +
    '5802VN' +
    optional('59', data.merchantName) +
    optional('60', data.merchantCity) +
    optional('62', additional) +
    '6304';
  return payload + crc16Hex(payload);
}

/**
 * Splits a payload into its root data objects after checking the overall frame: a string, `00` first,
 * `63` last with 4 hex digits, and a CRC that matches (upper- or lower-case).
 */
function readFrame(payload: unknown): { fields: TlvField[]; crc: string } {
  const fields = readTlv(payload as string, '');
  const crc = fields[fields.length - 1]?.value.toUpperCase() ?? '';
  if (fields[0]?.id !== '00') fail('MALFORMED_TLV', '00', 'must start with field 00');
  if (fields[fields.length - 1]!.id !== '63' || !/^[0-9A-F]{4}$/.test(crc)) fail('MALFORMED_TLV', '63', 'must end with a CRC (field 63)');
  const expected = crc16Hex((payload as string).slice(0, -4));
  if (crc !== expected) fail('BAD_CRC', '63', `CRC is ${crc}, expected ${expected}`);
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
  const unknownFields: Record<string, string> = {};
  const input: VietQRInput = { bin: '', account: '' };
  let merchant: string | undefined;
  let currency: string | undefined;
  let country: string | undefined;
  let pointOfInitiation = '11';
  for (const { id, value } of fields) {
    switch (id) {
      case '00':
        if (value !== '01') fail('INVALID_FIELD', '00', 'field 00 must be 01');
        break;
      case '01':
        if (value !== '11' && value !== '12') fail('INVALID_FIELD', '01', 'field 01 must be 11 or 12');
        pointOfInitiation = value;
        break;
      case '38':
        merchant = value;
        break;
      case '52':
        input.mcc = value;
        break;
      case '53':
        currency = value;
        break;
      case '54':
        // The spec allows "50000." (a point with no decimals); VND has no minor unit.
        input.amount = value.replace(/^(\d{1,12})\.$/, '$1');
        break;
      case '58':
        country = value;
        break;
      case '59':
        input.merchantName = value;
        break;
      case '60':
        input.merchantCity = value;
        break;
      case '62':
        for (const sub of readTlv(value, '62')) {
          const name = ADDITIONAL_BY_ID[sub.id];
          if (name) input[name] = sub.value;
          else unknownFields[`62.${sub.id}`] = sub.value;
        }
        break;
      case '63':
        break;
      default:
        unknownFields[id] = value;
    }
  }
  if (merchant === undefined) fail('NOT_VIETQR', '38', parseEmvQr(payload).kind === 'vnpayqr' ? 'a VNPAY-QR, not a VietQR' : 'no VietQR beneficiary (field 38)');
  let guid: string | undefined;
  let beneficiary: string | undefined;
  let serviceCode: string | undefined;
  for (const { id, value } of readTlv(merchant!, '38')) {
    if (id === '00') guid = value;
    else if (id === '01') beneficiary = value;
    else if (id === '02') serviceCode = value;
    else unknownFields[`38.${id}`] = value;
  }
  if (guid !== NAPAS_GUID) fail('NOT_VIETQR', '38.00', 'field 38 is not NAPAS VietQR');
  if (beneficiary === undefined) missing('38.01');
  for (const { id, value } of readTlv(beneficiary!, '38.01')) {
    if (id === '00') input.bin = value;
    else if (id === '01') input.account = value;
    else unknownFields[`38.01.${id}`] = value;
  }
  if (serviceCode === undefined) missing('38.02');
  input.service = serviceCode === SERVICE_CODES.account ? 'account' : serviceCode === SERVICE_CODES.card ? 'card' : fail('INVALID_FIELD', '38.02', `unknown service code ${serviceCode}`);
  if (currency === undefined) missing('53');
  if (currency !== '704') fail('INVALID_FIELD', '53', `currency ${currency} is not VND (704)`);
  if (country === undefined) missing('58');
  if (country !== 'VN') fail('INVALID_FIELD', '58', `country ${country} is not VN`);
  input.initiation = pointOfInitiation === '12' ? 'dynamic' : 'static';
  const data = validate(input) as VietQRData;
  data.currency = currency!;
  data.country = country!;
  data.crc = crc;
  data.unknownFields = unknownFields;
  return data;
}
