// CDN builds (one self-contained, minified ES module per widget and an all-in-one) from tsc's output.
// Packages add their entries here as they arrive; the npm builds are tsc's own output in dist/.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  commonjs(),
  terser({ ecma: 2022, module: true, compress: { passes: 3 }, format: { comments: false } }),
];

/** @type {import('rollup').RollupOptions[]} */
export default [
  {
    input: 'packages/core/dist/index.js',
    output: { file: 'packages/core/dist/cdn/motcua-core.js', format: 'es' },
    plugins: plugins(),
  },
];
