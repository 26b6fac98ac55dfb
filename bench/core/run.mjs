// Core benchmark: encode, decode and CRC operations per second, @motcua/core against vietnam-qr-pay
// (the most used VietQR library on npm), measured side by side in one process, printed as ratios.
// Also prints the size of core's main entry (minified + gzip). Run `npm run bench -- core`.
// Rounds are timed in CPU time (the machines it runs on are shared: wall-clock rounds charge other
// processes' slices at random to either side), alternating, and the median per-round ratio is printed.
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { QRPay } from 'vietnam-qr-pay';
import { crc16Hex, decodeVietQR, encodeVietQR } from '../../packages/core/dist/index.js';
import { compareOpsPerSecond } from '../lib.mjs';

const ROUNDS = 31;
const ROUND_MS = 50;

const input = { bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA LE PHI HO TICH' };
const payload = encodeVietQR(input);

// Sanity: both libraries produce and read the same thing before they are timed.
const peerPayload = QRPay.initVietQR({ bankBin: input.bin, bankNumber: input.account, amount: String(input.amount), purpose: input.purpose }).build();
if (peerPayload !== payload) throw new Error(`Payloads differ:\n motcua ${payload}\n peer   ${peerPayload}`);
const peer = new QRPay(payload);
if (!peer.isValid || peer.amount !== '50000' || peer.consumer.bankNumber !== input.account) throw new Error('peer decode differs');
if (decodeVietQR(payload).amount !== '50000') throw new Error('decode differs');

// A bank-issued merchant QR (QR Push), which vietnam-qr-pay reads too (as a VietQR with a consumer).
const merchantPayload = encodeVietQR({
  bin: '970403',
  merchantId: '2112995044604025',
  service: 'merchant',
  amount: 180000,
  mcc: '5812',
  merchantName: 'PHUONG CAC',
  merchantCity: 'HANOI',
  storeLabel: 'NPS6869',
});
if (decodeVietQR(merchantPayload).merchantId !== new QRPay(merchantPayload).consumer.bankNumber) throw new Error('peer merchant decode differs');

const cases = [
  [
    'encode',
    () => encodeVietQR(input),
    () => QRPay.initVietQR({ bankBin: input.bin, bankNumber: input.account, amount: '50000', purpose: input.purpose }).build(),
  ],
  ['decode (validating)', () => decodeVietQR(payload), () => new QRPay(payload)],
  ['decode merchant QR', () => decodeVietQR(merchantPayload), () => new QRPay(merchantPayload)],
  ['crc16 of a payload', () => crc16Hex(payload.slice(0, -4)), () => QRPay.genCRCCode(payload.slice(0, -4))],
];

console.log(
  `@motcua/core vs vietnam-qr-pay@${JSON.parse(readFileSync(new URL('../../node_modules/vietnam-qr-pay/package.json', import.meta.url))).version} — Node ${process.version}`,
);
console.log(`${ROUNDS} alternating rounds of ${ROUND_MS} ms CPU time each (motcua, peer, motcua…): median ops/s, median of the per-round ratios`);
console.log('operation               motcua ops/s     peer ops/s   ratio');
for (const [name, ours, theirs] of cases) {
  const { ours: a, theirs: b, ratio } = compareOpsPerSecond(ours, theirs, { rounds: ROUNDS, minRoundMs: ROUND_MS, clock: 'cpu' });
  console.log(
    `${name.padEnd(22)} ${Math.round(a).toLocaleString('en-US').padStart(13)} ${Math.round(b).toLocaleString('en-US').padStart(14)}   ${ratio.toFixed(1)}×`,
  );
}

const cdn = readFileSync(new URL('../../packages/core/dist/cdn/motcua-core.js', import.meta.url));
console.log(
  `\ncore main entry (rollup + terser): ${cdn.length} B minified, ${gzipSync(cdn, { level: 9 }).length} B gzip (budget: npm run size); bank directory excluded`,
);
