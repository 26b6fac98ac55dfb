// Browser tests: every package's test/**/*.test.ts in the system Chromium.
// Core's tests are isomorphic (node:test + node:assert), so they run here through small shims too.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROME_ARGS, INSTALL_HINT, findChrome } from './scripts/chrome.mjs';
import { nodeTestShims, qrcodeAsEsm } from './scripts/wtr-plugins.mjs';

const BROWSER_PACKAGES = ['core', 'payment-widget', 'survey-widget', 'counter-screen'];
const executablePath = findChrome();
if (!executablePath) throw new Error(INSTALL_HINT);

// A package may add dev-server plugins (e.g. a real HTTP+SSE test server) in test/wtr-plugins.mjs.
const packagePlugins = [];
for (const name of BROWSER_PACKAGES) {
  const file = fileURLToPath(new URL(`./packages/${name}/test/wtr-plugins.mjs`, import.meta.url));
  if (existsSync(file)) packagePlugins.push(...(await import(file)).default);
}

const only = process.env.WTR_PACKAGES?.split(',').filter(Boolean);

export default {
  rootDir: '.',
  nodeResolve: { exportConditions: ['development', 'browser'] },
  concurrency: 2,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 15_000 } },
  groups: BROWSER_PACKAGES.filter((name) => !only || only.includes(name)).map((name) => ({
    name,
    files: [`packages/${name}/test/**/*.test.ts`, `!packages/${name}/test/**/*.node.test.ts`],
  })),
  plugins: [
    nodeTestShims(),
    qrcodeAsEsm(),
    ...packagePlugins,
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.base.json', import.meta.url)),
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath, headless: true, args: CHROME_ARGS },
    }),
  ],
};
