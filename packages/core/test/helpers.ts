import { crc16Hex } from '../src/crc16.js';

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
