// `npm run size`: builds the CDN files and prints each one's size against its budget (gzip -9);
// exits 1 when any is over budget or missing (CI runs it after the tests). `--report` prints the same
// table and always exits 0.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

// Raised on 2026-12-01 for what the trust issues added before the first paint: merchant and cash
// VietQRs and a table-driven one-pass codec (core), the palette check, whole-pixel modules and the
// money summary (<qr-payment>), the kiosk faces and the server-verdict rules (<qr-survey>). The
// restructuring issue (controllers, decorator route) aims back at 3.5 / 22 / 13 / 30 KB.
const BUDGETS = [
  ['@motcua/core main entry (bank directory excluded)', 'packages/core/dist/cdn/motcua-core.js', 4 * 1024],
  ['<qr-payment> CDN (Lit + core + QR + widget)', 'packages/payment-widget/dist/cdn/qr-payment.js', 23 * 1024],
  ['<qr-survey> CDN', 'packages/survey-widget/dist/cdn/qr-survey.js', 13 * 1024],
  ['all-in-one motcua.js', 'packages/counter-screen/dist/cdn/motcua.js', 31 * 1024],
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
let failed = false;
console.log('bundle'.padEnd(52), 'minified'.padStart(10), 'gzip'.padStart(9), 'budget'.padStart(9));
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
  console.log(`${name.padEnd(52)} ${kb(bytes.length).padStart(10)} ${kb(gzip).padStart(9)} ${kb(budget).padStart(9)}  ${over ? 'OVER BUDGET' : 'ok'}`);
}
if (failed && process.argv.includes('--report')) console.log('size: over budget (reported, not failed: --report)');
process.exit(failed && !process.argv.includes('--report') ? 1 : 0);
