import { crc16Hex } from '../src/crc16.js';
import type { PaymentResource } from '../src/index.js';

/** Appends `6304` and the right CRC to a payload body. */
export const withCrc = (body: string): string => body + '6304' + crc16Hex(body + '6304');

/** One TLV data object (independent of the implementation under test). */
export const obj = (id: string, value: string): string => id + String(value.length).padStart(2, '0') + value;

/** NAPAS VietQR spec v1.0, section 6.1 — verbatim. */
export const SPEC = {
  /** 6.1.1 as printed: account length says 12 but carries 13 digits (erratum). */
  staticAccountErratum: '00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5',
  /** 6.1.2: static QR to a card. */
  staticCard: '00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52',
  /** 6.1.3: dynamic QR to an account. */
  dynamicAccount:
    '00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E',
  /** 6.1.4 as printed at the top: a static string carrying the dynamic string's CRC (erratum). */
  dynamicCardErratum: '00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN6304A203',
  /** 6.1.4's dynamic string from its CRC steps: right. */
  dynamicCard:
    '00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC530370454061800005802VN62340107NPS68690819thanh toan don hang6304A203',
} as const;

/**
 * Bank-issued merchant (NAPAS QR Push) and cash-withdrawal (QRCASH) VietQRs published in other
 * VietQR projects, verbatim (each one's CRC checks out).
 */
export const PUBLISHED = {
  /** trantuan94/vietqrjs, src/decryptor/vietqrv1.decryptor.spec.ts: dynamic QR Push, 38.02 `QRPUSH`. */
  merchantDynamic:
    '00020101021238580010A00000072701300006970403011621129950446040250206QRPUSH52045812530370454061800005802VN5910PHUONG CAC6005HANOI62110307NPS686963047C1B',
  /** liopayvn/vietqr-php, README.md: static QR Push without 38.02. */
  merchantNoServiceCode: '00020101021138480010A00000072701300006970403011621129950446040255204581253037045802VN5910PHUONG CAC6005HANOI62110307NPS686963045802',
  /** trantuan94/vietqrjs, src/builder/vietqrv1.builder.spec.ts: QR Push with every field 62 sub-field, 61 and 64. */
  merchantFull:
    '00020101021238500010A000000727012200069704160108123456780206QRPUSH52045812530370454061200005802VN5917CUA HANG TIEN LOI6006HA NOI61051000062860107B123456021003900000010307NPS68690402100503abc0605C11230706aac1230809pay a box0901A64260002en0107Shop VN0205Hanoi63041F97',
  /** trantuan94/vietqrjs, src/decryptor/vietqrv1.decryptor.spec.ts: dynamic cash withdrawal with 61 and 64. */
  cashDynamic:
    '00020101021238500010A000000727012200069704030108123456780206QRCASH5204601153037045802VN5915NGUYEN HUU HUAN6005HANOI6105100006237052120190109155714228384707080000111164260002en0107shop vn0205Hanoi630476DA',
  /** trantuan94/vietqrjs, src/builder/vietqrv1.builder.spec.ts: static cash withdrawal. */
  cashStatic:
    '00020101021138500010A000000727012200069704160108123456780206QRCASH5204601153037045802VN5912NGUYEN VAN A6006HA NOI6237052120190109155714228384707080000111163049CE4',
} as const;

/** A valid payment resource as the gateway sends it (version 1, pending). */
export const PAYMENT: PaymentResource = {
  id: 'pay_1',
  code: 'MC7K2Q9XA',
  status: 'pending',
  amount: 50000,
  amountPaid: 0,
  currency: 'VND',
  qr: '000201...',
  bank: { bin: '970415', account: '113366668888', accountName: 'UBND XA A' },
  purpose: 'Le phi',
  dossier: 'H01.01-240101-0001',
  counter: 'C1',
  expiresAt: '2026-11-22T10:00:00.000Z',
  paidAt: null,
  version: 1,
};
