// QR encoder benchmark: @motcua/core/qr's encodeQr against qrcode's QRCode.create (the peer it
// replaces), symbols per second measured side by side in one process, printed as ratios; and the
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

const require = createRequire(import.meta.url);
const ROUNDS = 7;
const MIN_ROUND_MS = 200;

/** Median operations per second over ROUNDS rounds of at least MIN_ROUND_MS each. */
function opsPerSecond(fn) {
  for (let i = 0; i < 300; i++) fn(i); // warm up the JIT
  const rates = [];
  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < MIN_ROUND_MS) {
      for (let i = 0; i < 20; i++) fn(n++);
      elapsed = performance.now() - start;
    }
    rates.push((n / elapsed) * 1000);
  }
  return rates.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

const vietqr = encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA Le phi ho tich' });
const surveyUrl = 'https://dichvucong.hanoi.gov.vn/danh-gia?counter=C1&token=0f8a2c61-7f1e-4d55-9c1b-3b0f6a1d2e44';
const long = 'x'.repeat(1000);
const byteSegment = (text) => [{ data: new TextEncoder().encode(text), mode: 'byte' }];

// Sanity: the two agree bit for bit before they are timed (same mask forced: see qr.test.ts for why
// the chosen mask may differ).
for (const text of [vietqr, surveyUrl, long]) {
  const ours = encodeQr(text);
  const peer = QRCode.create(byteSegment(text), { errorCorrectionLevel: 'M', maskPattern: ours.mask });
  if (peer.version !== ours.version || !peer.modules.data.every((m, i) => m === ours.modules[i])) throw new Error(`Symbols differ for ${text.slice(0, 30)}…`);
}

const cases = [
  [`VietQR payload (${vietqr.length} chars), M`, vietqr],
  [`survey URL (${surveyUrl.length} chars), M`, surveyUrl],
  ['1000 bytes, M', long],
];
console.log('case'.padEnd(34), 'encodeQr/s'.padStart(11), 'qrcode byte/s'.padStart(14), 'ratio'.padStart(7), 'qrcode string/s'.padStart(16), 'ratio'.padStart(7));
for (const [name, text] of cases) {
  const ours = opsPerSecond(() => encodeQr(text));
  const peerByte = opsPerSecond(() => QRCode.create(byteSegment(text), { errorCorrectionLevel: 'M' }));
  // What the widgets called before: a plain string, which qrcode splits into mixed-mode segments.
  const peerString = opsPerSecond(() => QRCode.create(text, { errorCorrectionLevel: 'M' }));
  const fmt = (n) => Math.round(n).toLocaleString('en').padStart(11);
  console.log(name.padEnd(34), fmt(ours), fmt(peerByte).padStart(14), `${(ours / peerByte).toFixed(2)}×`.padStart(7), fmt(peerString).padStart(16), `${(ours / peerString).toFixed(2)}×`.padStart(7));
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
  ['@motcua/core/qr (encodeQr, qrPath)', `export { encodeQr, qrPath } from ${JSON.stringify(new URL('../../packages/core/dist/qr.js', import.meta.url).pathname)};`],
  ["qrcode lib/core (QRCode.create)", `export { create } from ${JSON.stringify(require.resolve('qrcode/lib/core/qrcode.js'))};`],
  ['qrcode (full browser entry)', `export { default } from ${JSON.stringify(require.resolve('qrcode/lib/browser.js'))};`],
];
console.log('\nbundle (Rollup + terser)'.padEnd(41), 'minified'.padStart(9), 'gzip'.padStart(8));
const results = [];
for (const [name, code] of sizes) {
  const size = await bundleSize(code);
  results.push(size.gzip);
  console.log(name.padEnd(40), `${size.minified} B`.padStart(9), `${size.gzip} B`.padStart(8));
}
console.log(`\n@motcua/core/qr is ${(results[0] / results[1] * 100).toFixed(0)} % of qrcode's lib/core (gzip), ${results[1] - results[0]} B smaller`);
