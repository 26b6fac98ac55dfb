/**
 * The penalty score of a masked QR symbol (ISO/IEC 18004:2015 §7.8.3.1, Table 11); the encoder keeps
 * the mask with the lowest. Evaluated on the whole symbol, function patterns and format information
 * included, and nothing outside it.
 *
 * - N1 = 3 + (n − 5) for each run of n ≥ 5 same-colour modules in a row or column;
 * - N2 = 3 for each 2 × 2 block of one colour (a m × n block is (m − 1)(n − 1) of them);
 * - N3 = 40 for each 1:1:3:1:1 dark:light:dark:light:dark pattern with 4 light modules before it,
 *   and again for each with 4 light modules after it, in a row or column;
 * - N4 = 10 × k, k the deviation of the share of dark modules from 50 % in whole 5 % steps
 *   (45–55 % is 0, 40–45 % and 55–60 % is 1…).
 */
export function maskPenalty(modules: Uint8Array, size: number): number {
  let penalty = 0;
  let dark = 0;
  for (let line = 0; line < size; line++) {
    // The row `line` and the column `line` at once: run lengths and the last 11 modules as bits.
    let rowRun = 0;
    let columnRun = 0;
    let rowBits = 0;
    let columnBits = 0;
    for (let i = 0; i < size; i++) {
      const inRow = modules[line * size + i]!;
      const inColumn = modules[i * size + line]!;
      dark += inRow;
      if (i && inRow === (rowBits & 1)) rowRun++;
      else {
        if (rowRun >= 5) penalty += rowRun - 2;
        rowRun = 1;
      }
      if (i && inColumn === (columnBits & 1)) columnRun++;
      else {
        if (columnRun >= 5) penalty += columnRun - 2;
        columnRun = 1;
      }
      rowBits = ((rowBits << 1) & 0x7ff) | inRow;
      columnBits = ((columnBits << 1) & 0x7ff) | inColumn;
      if (i >= 10) {
        // 0000 1011101 and 1011101 0000.
        if (rowBits === 0x05d || rowBits === 0x5d0) penalty += 40;
        if (columnBits === 0x05d || columnBits === 0x5d0) penalty += 40;
      }
      if (line && i && inRow === modules[(line - 1) * size + i] && inRow === modules[line * size + i - 1] && inRow === modules[(line - 1) * size + i - 1])
        penalty += 3;
    }
    if (rowRun >= 5) penalty += rowRun - 2;
    if (columnRun >= 5) penalty += columnRun - 2;
  }
  const total = size * size;
  return penalty + 10 * Math.floor(Math.abs(20 * dark - 10 * total) / total);
}
