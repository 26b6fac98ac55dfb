// CDN builds: one self-contained, minified ES module per widget and an all-in-one, bundled from
// tsc's output (TypeScript 7 has no JS API, so no TypeScript plugin here: `tsc -b` runs first).
// The npm builds are tsc's own output in each package's dist/.
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { litStaticProperties } from './scripts/rollup-lit-properties.mjs';

const plugins = () => [
  litStaticProperties(),
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  commonjs(),
  terser({
    ecma: 2022,
    module: true,
    compress: { passes: 3 },
    // Private members (`_name`, our convention, CONTRIBUTING.md) get short names, as Lit's own build does.
    // Lit's internals are `_$…` and stay; one name cache per build keeps a member's name the same in
    // the entry and its lazy chunks. Nothing outside a build reads them (no `_` keys are stored or sent).
    mangle: { properties: { regex: /^_[A-Za-z]/ } },
    nameCache: {},
    format: { comments: false },
  }),
];

/**
 * [input (tsc output), CDN file, extra entries] — builds whose package is not built yet are skipped.
 * An extra entry is a file of its own beside the CDN file (`<name>-<extra>.js`, no hash: hosts import
 * it by name) that shares every module with it, e.g. the headless `watchPayment` of the all-in-one.
 */
export const CDN_BUILDS = [
  ['packages/core/dist/index.js', 'packages/core/dist/cdn/motcua-core.js'],
  ['packages/payment-widget/dist/cdn.js', 'packages/payment-widget/dist/cdn/qr-payment.js'],
  ['packages/survey-widget/dist/cdn.js', 'packages/survey-widget/dist/cdn/qr-survey.js'],
  ['packages/counter-screen/dist/cdn.js', 'packages/counter-screen/dist/cdn/qr-counter-screen.js'],
  [
    'packages/counter-screen/dist/all.js',
    // Published in @motcua/counter-screen's tarball beside qr-counter-screen.js (docs/distribution.md).
    'packages/counter-screen/dist/cdn/motcua.js',
    {
      'watch-payment': 'packages/payment-widget/dist/watch-payment.js',
      'submission-queue': 'packages/survey-widget/dist/submission-queue.js',
    },
  ],
];

// MOTCUA_CDN_PACKAGE=<folder> builds only that package's CDN files (its `prepack`, scripts/prepack.mjs).
const only = process.env.MOTCUA_CDN_PACKAGE;
const builds = CDN_BUILDS.filter(([input, file]) => existsSync(input) && (!only || file.startsWith(`packages/${only}/`)));
// Start each CDN folder empty: lazy chunks carry content hashes, and stale ones must not be published.
for (const dir of new Set(builds.map(([, file]) => dirname(file)))) rmSync(dir, { recursive: true, force: true });

/** @type {import('rollup').RollupOptions[]} */
export default builds.map(([input, file, extras = {}]) => ({
  input: { [basename(file, '.js')]: input, ...extras },
  // Code a widget loads lazily (the survey's QR renderer) stays a separate chunk beside the file.
  output: {
    dir: dirname(file),
    entryFileNames: (chunk) => (chunk.name === basename(file, '.js') ? basename(file) : `${basename(file, '.js')}-[name].js`),
    chunkFileNames: `${basename(file, '.js')}-[name]-[hash].js`,
    format: 'es',
  },
  plugins: plugins(),
  onwarn(warning, warn) {
    // qrcode's CommonJS has `this` at top level; harmless once bundled.
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
}));
