// CDN builds: one self-contained, minified ES module per widget and an all-in-one, bundled from
// tsc's output (TypeScript 7 has no JS API, so no TypeScript plugin here: `tsc -b` runs first).
// The npm builds are tsc's own output in each package's dist/.
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minifyCssTemplates } from './scripts/minify-css.mjs';

/** Our own `css` tagged templates minified (terser leaves template text as it is): scripts/minify-css.mjs. */
const minifyCss = () => ({
  name: 'motcua-minify-css',
  transform(code, id) {
    return /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/]/.test(id) ? { code: minifyCssTemplates(code), map: null } : null;
  },
});

const plugins = () => [
  minifyCss(),
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
  // `parseEmvQr` (any EMVCo QR as a tree) is a diagnostic no widget needs: a file of its own, self-contained.
  ['packages/core/dist/emv.js', 'packages/core/dist/cdn/motcua-emv.js'],
  ['packages/payment-widget/dist/cdn.js', 'packages/payment-widget/dist/cdn/qr-payment.js'],
  // The printed slip, self-contained: <qr-payment> pages do not load it, and splitting what the two
  // share into a common chunk cost <qr-payment> 0.6 KB gzip and motcua.js 0.5 KB (measured 2026-12-01).
  ['packages/payment-widget/dist/slip.js', 'packages/payment-widget/dist/cdn/qr-payment-slip.js'],
  ['packages/survey-widget/dist/cdn.js', 'packages/survey-widget/dist/cdn/qr-survey.js'],
  ['packages/counter-screen/dist/cdn.js', 'packages/counter-screen/dist/cdn/qr-counter-screen.js'],
  // The officer's exceptions desk (back office only): its own file, so screen pages never load it.
  ['packages/counter-screen/dist/exceptions-desk.js', 'packages/counter-screen/dist/cdn/qr-exceptions-desk.js'],
  [
    'packages/counter-screen/dist/all.js',
    // Published in @motcua/counter-screen's tarball beside qr-counter-screen.js (docs/distribution.md).
    'packages/counter-screen/dist/cdn/motcua.js',
    {
      'watch-payment': 'packages/payment-widget/dist/watch-payment.js',
      'submission-queue': 'packages/survey-widget/dist/submission-queue.js',
    },
  ],
  // The slip beside the all-in-one (the demo loads it from there), self-contained like the one above.
  ['packages/payment-widget/dist/slip.js', 'packages/counter-screen/dist/cdn/motcua-payment-slip.js'],
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
  // Lazy chunks import Lit (and core) like any module: the entry exports what they use (extra,
  // mangled names) instead of Rollup moving it into a shared chunk behind a re-exporting facade.
  // One Lit per page either way; test/cdn-build.node.test.ts checks it. A build with extra entries (the
  // all-in-one and its headless files) stays strict: motcua.js exports its API and nothing else (interop test).
  preserveEntrySignatures: Object.keys(extras).length ? 'strict' : 'allow-extension',
  plugins: plugins(),
  onwarn(warning, warn) {
    // qrcode's CommonJS has `this` at top level; harmless once bundled.
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
}));
