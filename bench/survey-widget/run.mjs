// Size of the <qr-survey> CDN file, gzip -9: the CDN entry (src/cdn.ts; the queue, English, the phone
// preset, the validator, the comment step and the QR encoder split into lazy chunks) against the same
// entry with every dynamic import inlined, against the npm entry (index.ts, which re-exports it all)
// inlined, and against Lit alone as the floor.
// Usage: npm run bench -- survey-widget   (or: npx tsc -b && node bench/survey-widget/run.mjs)
import { gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';

// The same plugins as rollup.config.mjs (which does not export them).
const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  commonjs(),
  terser({ ecma: 2022, module: true, compress: { passes: 3 }, format: { comments: false } }),
];

const BUDGET = 12 * 1024;
const gz = (code) => gzipSync(code, { level: 9 }).length;

async function build(input, inlineDynamicImports) {
  const bundle = await rollup({ input, plugins: plugins(), onwarn() {} });
  const { output } = await bundle.generate({ format: 'es', inlineDynamicImports });
  await bundle.close();
  return output
    .filter((chunk) => chunk.type === 'chunk')
    .map((chunk) => ({ name: chunk.fileName, entry: chunk.isEntry, gzip: gz(chunk.code), bytes: chunk.code.length }));
}

const split = await build('packages/survey-widget/dist/cdn.js', false);
const inlined = await build('packages/survey-widget/dist/cdn.js', true);
const npmEntry = await build('packages/survey-widget/dist/index.js', true);
const lit = await build('lit', true);
const entry = split.find((chunk) => chunk.entry);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('file'.padEnd(48), 'minified'.padStart(9), 'gzip'.padStart(8));
for (const chunk of split) console.log(`split: ${chunk.name}`.padEnd(48), kb(chunk.bytes).padStart(9), kb(chunk.gzip).padStart(8));
console.log('inlined: cdn.js, every chunk included'.padEnd(48), kb(inlined[0].bytes).padStart(9), kb(inlined[0].gzip).padStart(8));
console.log('peer: npm index.js, inlined'.padEnd(48), kb(npmEntry[0].bytes).padStart(9), kb(npmEntry[0].gzip).padStart(8));
console.log('peer: lit alone'.padEnd(48), kb(lit[0].bytes).padStart(9), kb(lit[0].gzip).padStart(8));
console.log(`\nkiosk entry / budget (12 KB): ${(entry.gzip / BUDGET).toFixed(2)}  ${entry.gzip <= BUDGET ? 'ok' : 'OVER'}`);
console.log(`kiosk entry / inlined build: ${(entry.gzip / inlined[0].gzip).toFixed(2)}`);
console.log(`kiosk entry / npm entry inlined: ${(entry.gzip / npmEntry[0].gzip).toFixed(2)}`);
console.log(`kiosk entry / lit alone: ${(entry.gzip / lit[0].gzip).toFixed(2)}`);
