// QR encoder benchmark: @motcua/core/qr's encodeQr against qrcode's QRCode.create (the peer it
// replaces): the symbol versions of 20 real VietQR payloads (byte mode, our mixed-mode segmentation,
// qrcode's), symbols per second measured side by side in one process, printed as ratios, and the
// gzip size of each as the widgets' CDN build would bundle it (Rollup + terser). Run `npm run bench -- qr`.
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import QRCode from 'qrcode';
import { rollup } from 'rollup';
import { encodeVietQR } from '../../packages/core/dist/index.js';
import { encodeQr } from '../../packages/core/dist/qr.js';
import { opsPerSecond } from '../lib.mjs';

const require = createRequire(import.meta.url);
const ROUNDS = 7;
// Encoding a QR takes ~0.3 ms: fewer calls per clock read than the default.
const QR_OPTIONS = { rounds: ROUNDS, warmup: 300, batch: 20 };

const vietqr = encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA Le phi ho tich' });
const surveyUrl = 'https://dichvucong.hanoi.gov.vn/danh-gia?counter=C1&token=0f8a2c61-7f1e-4d55-9c1b-3b0f6a1d2e44';
const long = 'x'.repeat(1000);
const byteSegment = (text) => [{ data: new TextEncoder().encode(text), mode: 'byte' }];

// Sanity: the two agree bit for bit before they are timed (same mask forced: see qr.test.ts for why
// the chosen mask may differ) — in byte mode against one byte segment, in auto mode against qrcode
// given the string, which segments these texts as we do (qr-segments.node.test.ts checks where not).
const digits = '0123456789'.repeat(30);
for (const text of [vietqr, surveyUrl, long, digits]) {
  for (const [mode, data] of [
    ['byte', byteSegment(text)],
    ['auto', text],
  ]) {
    const ours = encodeQr(text, { mode });
    const peer = QRCode.create(data, { errorCorrectionLevel: 'M', maskPattern: ours.mask });
    if (peer.version !== ours.version || !peer.modules.data.every((m, i) => m === ours.modules[i]))
      throw new Error(`Symbols differ (${mode}) for ${text.slice(0, 30)}…`);
  }
}

// 20 real VietQR payloads: banks, accounts and cards, amounts, memos, bill numbers and store labels.
const banks = ['970415', '970436', '970418', '970422', '970407'];
const purposes = ['', 'MC7K2Q9XA', 'MC7K2Q9XA LE PHI BAN SAO', 'MC3BX8PQ1 LE PHI HO TICH'];
const payloads = banks.flatMap((bin, i) =>
  purposes.map((purpose, j) =>
    encodeVietQR({
      bin,
      account: String(10_000_000 + i * 7919 + j * 104729).padEnd(8 + ((i + j) % 7), '8'),
      service: (i + j) % 4 === 3 ? 'card' : 'account',
      ...(j ? { amount: 1000 * (i * 37 + j * 11 + 1) } : {}),
      ...(purpose ? { purpose } : {}),
      ...(i % 2 ? { billNumber: `HS${i}${j}2024`, storeLabel: 'UBND PHUONG HANG BAC' } : {}),
    }),
  ),
);
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const versions = (encode) => payloads.map((payload) => encode(payload).version);
const lengths = payloads.map((p) => p.length);
console.log(`${payloads.length} VietQR payloads (${Math.min(...lengths)}–${Math.max(...lengths)} chars), error correction M: median version (min–max)`);
for (const [name, encode] of [
  ['encodeQr, byte mode (before)', (text) => encodeQr(text, { mode: 'byte', mask: 0 })],
  ['encodeQr, auto (optimal segments)', (text) => encodeQr(text, { mask: 0 })],
  ['qrcode given the string', (text) => QRCode.create(text, { errorCorrectionLevel: 'M', maskPattern: 0 })],
]) {
  const found = versions(encode);
  console.log(
    `  ${name.padEnd(36)} v${median(found)} (${Math.min(...found)}–${Math.max(...found)}), ${17 + 4 * median(found)}×${17 + 4 * median(found)} modules`,
  );
}

const cases = [
  [`VietQR payload (${vietqr.length} chars), M`, vietqr],
  [`survey URL (${surveyUrl.length} chars), M`, surveyUrl],
  ['1000 bytes, M', long],
  [`${digits.length} digits, M`, digits],
];
console.log('\nauto: encodeQr against qrcode given the string (it segments too); byte: both given one byte segment');
console.log(
  'case'.padEnd(34),
  'auto/s'.padStart(11),
  'qrcode/s'.padStart(11),
  'ratio'.padStart(7),
  'byte/s'.padStart(11),
  'qrcode/s'.padStart(11),
  'ratio'.padStart(7),
);
for (const [name, text] of cases) {
  const ours = opsPerSecond(() => encodeQr(text), QR_OPTIONS);
  const peerString = opsPerSecond(() => QRCode.create(text, { errorCorrectionLevel: 'M' }), QR_OPTIONS);
  const oursByte = opsPerSecond(() => encodeQr(text, { mode: 'byte' }), QR_OPTIONS);
  const peerByte = opsPerSecond(() => QRCode.create(byteSegment(text), { errorCorrectionLevel: 'M' }), QR_OPTIONS);
  const fmt = (n) => Math.round(n).toLocaleString('en').padStart(11);
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`.padStart(7);
  console.log(name.padEnd(34), fmt(ours), fmt(peerString), ratio(ours, peerString), fmt(oursByte), fmt(peerByte), ratio(oursByte, peerByte));
}

/** Minified + gzip bytes of a bundle of `code` (an entry module's source), as rollup.config.mjs builds the CDN files. */
async function bundleSize(code) {
  const entry = '\0bench-entry';
  const bundle = await rollup({
    input: entry,
    plugins: [
      { name: 'entry', resolveId: (id) => (id === entry ? id : null), load: (id) => (id === entry ? code : null) },
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
      commonjs(),
      terser({ ecma: 2022, module: true, compress: { passes: 3 }, format: { comments: false } }),
    ],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es' });
  const text = output[0].code;
  return { minified: text.length, gzip: gzipSync(text, { level: 9 }).length };
}

const sizes = [
  [
    '@motcua/core/qr (encodeQr, qrPath)',
    `export { encodeQr, qrPath } from ${JSON.stringify(new URL('../../packages/core/dist/qr.js', import.meta.url).pathname)};`,
  ],
  ['qrcode lib/core (QRCode.create)', `export { create } from ${JSON.stringify(require.resolve('qrcode/lib/core/qrcode.js'))};`],
  ['qrcode (full browser entry)', `export { default } from ${JSON.stringify(require.resolve('qrcode/lib/browser.js'))};`],
];
console.log('\nbundle (Rollup + terser)'.padEnd(41), 'minified'.padStart(9), 'gzip'.padStart(8));
const results = [];
for (const [name, code] of sizes) {
  const size = await bundleSize(code);
  results.push(size.gzip);
  console.log(name.padEnd(40), `${size.minified} B`.padStart(9), `${size.gzip} B`.padStart(8));
}
console.log(`\n@motcua/core/qr is ${((results[0] / results[1]) * 100).toFixed(0)} % of qrcode's lib/core (gzip), ${results[1] - results[0]} B smaller`);
