import { BANK_ROWS } from './banks-data.js';

/** A bank or e-wallet that receives VietQR transfers, identified by its 6-digit BIN. */
export interface Bank {
  /** Acquirer BIN (VietQR field 38.01.00), e.g. `970415`. */
  bin: string;
  /** Short code as in the VietQR bank list, e.g. `ICB`. Codes collide across lists: prefer the BIN. */
  code: string;
  /** The name people know, e.g. `VietinBank`. */
  shortName: string;
  /** Full legal name in Vietnamese. */
  name: string;
  /** SWIFT/BIC, when known. */
  swift?: string;
  /** Other codes the bank is known by (e.g. stock tickers: `CTG`). */
  altCodes: readonly string[];
}

/** Every bank in the directory (72), ordered by BIN. */
export const BANKS: readonly Bank[] = BANK_ROWS.map(([bin, code, shortName, name, swift, altCodes]) => ({
  bin,
  code,
  shortName,
  name,
  ...(swift ? { swift } : {}),
  altCodes,
}));

const byBin = new Map(BANKS.map((bank) => [bank.bin, bank]));

/**
 * Finds a bank by BIN first (exact), then by code, alternative code or short name (case-insensitive).
 *
 * @example
 * findBank('970415')?.shortName; // 'VietinBank'
 * findBank('vcb')?.bin;          // '970436'
 */
export function findBank(binOrCode: string): Bank | undefined {
  if (typeof binOrCode !== 'string') return undefined;
  const key = binOrCode.trim();
  const exact = byBin.get(key);
  if (exact || /^\d{6}$/.test(key)) return exact;
  const upper = key.toUpperCase();
  return (
    BANKS.find((bank) => bank.code.toUpperCase() === upper) ??
    BANKS.find((bank) => bank.altCodes.some((code) => code.toUpperCase() === upper)) ??
    BANKS.find((bank) => bank.shortName.toUpperCase() === upper)
  );
}
