// `npm run size`: builds the CDN files and prints each one's size against its budget (gzip -9);
// exits 1 when any is over budget or missing (CI runs it after the tests). `--report` prints the same
// table and always exits 0.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

// Issue 14's budgets (3.5 / 22 / 13 / 30 KB): met by keeping out of each first paint what it does not
// need (docs/distribution.md has the steps and their bytes). The slip and the desk are on no first paint.
const BUDGETS = [
  ['@motcua/core main entry (bank directory excluded)', 'packages/core/dist/cdn/motcua-core.js', 3.5 * 1024],
  ['<qr-payment> CDN (Lit + core + QR + widget)', 'packages/payment-widget/dist/cdn/qr-payment.js', 22 * 1024],
  // Print only (the slip is not on any first paint); self-contained: Lit, core, the QR encoder, the bank directory, both languages.
  ['<qr-payment-slip> CDN (self-contained)', 'packages/payment-widget/dist/cdn/qr-payment-slip.js', 22 * 1024],
  ['<qr-survey> CDN', 'packages/survey-widget/dist/cdn/qr-survey.js', 13 * 1024],
  ['all-in-one motcua.js', 'packages/counter-screen/dist/cdn/motcua.js', 30 * 1024],
  // Back office only, never loaded by the citizen screen or the widgets: Lit (~6 KB) and the desk with
  // both languages' texts inline (no QR code, no lazy chunk: an officer's page loads it once).
  ['<qr-exceptions-desk> CDN', 'packages/counter-screen/dist/cdn/qr-exceptions-desk.js', 11 * 1024],
];

if (!process.argv.includes('--no-build')) {
  execFileSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
  execFileSync('npx', ['rollup', '-c', '--silent'], { stdio: 'inherit' });
}

/** The file and the chunks it imports statically, transitively (`import"./x.js"`, `from"./x.js"`). */
function staticGraph(file, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  const imports = [...code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\.?\/[^"']+)["']/g)].map((m) => path.join(path.dirname(file), m[1]));
  return [file, ...imports.flatMap((child) => staticGraph(child, seen))];
}

const kb = (bytes) => (bytes < 4096 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);
/** Gzip sizes also in bytes: a tenth of a KB hides what a change costs. */
const gz = (bytes) => (bytes < 4096 ? kb(bytes) : `${kb(bytes)} (${bytes} B)`);
let failed = false;
console.log('bundle'.padEnd(52), 'minified'.padStart(10), 'gzip'.padStart(18), 'budget'.padStart(9));
for (const [name, file, budget] of BUDGETS) {
  if (!existsSync(file)) {
    console.log(`${name.padEnd(52)} ${'missing'.padStart(10)}  (${file} was not built)`);
    failed = true;
    continue;
  }
  // What loads before the first paint: the entry and every chunk it imports statically (lazy
  // `import()` chunks are not counted). An entry that is only a facade cannot hide its weight.
  const files = staticGraph(file);
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  const gzip = files.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const over = gzip > budget;
  failed ||= over;
  console.log(`${name.padEnd(52)} ${kb(bytes.length).padStart(10)} ${gz(gzip).padStart(18)} ${kb(budget).padStart(9)}  ${over ? 'OVER BUDGET' : 'ok'}`);
}
if (failed && process.argv.includes('--report')) console.log('size: over budget (reported, not failed: --report)');
process.exit(failed && !process.argv.includes('--report') ? 1 : 0);
