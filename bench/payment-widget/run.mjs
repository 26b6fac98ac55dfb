// <qr-payment> first paint: element connected → QR <path> in its shadow DOM (the first paint, not
// `updateComplete`, which also waits for the bank name), in headless Chromium, with a typical dynamic
// VietQR payload, served with its lazy chunks beside it as a CDN would. Peer, measured in the same
// page and run: qrcode's own `toString(payload, { type: 'svg' })` parsed into a plain <div> (what a
// portal would do without the widget). The first mount (chunks not loaded yet, code not warm) is
// reported on its own; the goal (issue 16) is a median ≤ 2× the peer's over the mounts after it.
// Usage: node bench/payment-widget/run.mjs (or npm run bench -- payment-widget)   (after `npx tsc -b`; CHROME_PATH overrides the browser)
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../../scripts/chrome.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MOUNTS = 50;
const GOAL_RATIO = 2;
const cdnDir = path.join(root, 'packages/payment-widget/dist/cdn');

async function widgetBundle() {
  const cdn = path.join(cdnDir, 'qr-payment.js');
  if (existsSync(cdn)) return { source: 'dist/cdn/qr-payment.js', code: readFileSync(cdn, 'utf8') };
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'packages/payment-widget/dist/index.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return { source: 'esbuild bundle of dist/index.js', code: result.outputFiles[0].text };
}

async function peerBundle() {
  const result = await esbuild.build({
    stdin: { contents: "import QRCode from 'qrcode'; window.QRCode = QRCode;", resolveDir: root },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const { encodeVietQR } = await import(path.join(root, 'packages/core/dist/index.js'));
const payload = encodeVietQR({
  bin: '970415',
  account: '113366668888',
  amount: 50000,
  purpose: 'MC7K2Q9XA LE PHI HO TICH',
  initiation: 'dynamic',
});

const widget = await widgetBundle();
const files = {
  '/': { type: 'text/html', body: '<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body></body></html>' },
  '/widget.js': { type: 'text/javascript', body: widget.code },
  '/peer.js': { type: 'text/javascript', body: await peerBundle() },
};
const server = createServer((req, res) => {
  const name = new URL(req.url, 'http://x').pathname;
  // The lazy chunks beside the CDN file (bank directory, English, watcher), as a CDN serves them.
  const chunk = /^\/qr-payment-[\w-]+\.js$/.test(name) ? path.join(cdnDir, name) : undefined;
  const file = files[name] ?? (chunk && existsSync(chunk) ? { type: 'text/javascript', body: readFileSync(chunk, 'utf8') } : undefined);
  res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
  res.end(file?.body ?? 'not found');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: findChrome() ?? '/usr/bin/chromium',
  args: CHROME_ARGS,
});
try {
  const page = await browser.newPage();
  await page.goto(origin);
  await page.addScriptTag({ url: '/widget.js', type: 'module' });
  await page.addScriptTag({ url: '/peer.js', type: 'module' });
  await page.waitForFunction(() => customElements.get('qr-payment') && window.QRCode);
  const result = await page.evaluate(
    async ({ payload, mounts }) => {
      const median = (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const middle = sorted.length >> 1;
        return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
      };
      /** Resolves once `done()` holds: checked after every microtask (an update is one), then every task. */
      const until = async (done) => {
        for (let i = 0; i < 1000 && !done(); i++) await Promise.resolve();
        while (!done()) await new Promise((resolve) => setTimeout(resolve, 0));
      };
      const widgetTimes = [];
      const peerTimes = [];
      let first;
      for (let i = 0; i <= mounts; i++) {
        // The widget: connected → its QR path is in the shadow DOM.
        const el = document.createElement('qr-payment');
        el.setAttribute('payload', payload);
        let start = performance.now();
        document.body.append(el);
        await until(() => el.shadowRoot?.querySelector('[part~="qr"] path'));
        const painted = performance.now() - start;
        await el.updateComplete;
        const whole = performance.now() - start;
        el.remove();

        // The peer: qrcode's SVG string, parsed into a plain element.
        const div = document.createElement('div');
        start = performance.now();
        document.body.append(div);
        const markup = await window.QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
        div.innerHTML = markup;
        if (!div.querySelector('svg path')) throw new Error('no peer QR');
        const peer = performance.now() - start;
        div.remove();
        if (i === 0) first = { painted, whole, peer };
        else {
          widgetTimes.push(painted);
          peerTimes.push(peer);
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return { first, widget: median(widgetTimes), peer: median(peerTimes), max: Math.max(...widgetTimes) };
    },
    { payload, mounts: MOUNTS },
  );

  const ratio = result.widget / result.peer;
  const ok = ratio <= GOAL_RATIO;
  const { first } = result;
  console.log(`<qr-payment> mount → QR in DOM (${widget.source} and its chunks, payload ${payload.length} chars)`);
  console.log(
    `  first mount: QR painted in ${first.painted.toFixed(2)} ms, whole (bank directory loaded: updateComplete) in ${first.whole.toFixed(2)} ms;` +
      ` peer's first ${first.peer.toFixed(2)} ms; extra cost of the first mount over the later median ${(first.painted - result.widget).toFixed(2)} ms`,
  );
  console.log(`  next ${MOUNTS} mounts: widget median ${result.widget.toFixed(2)} ms (max ${result.max.toFixed(2)} ms)`);
  console.log(
    `  peer (qrcode.toString svg → div) median ${result.peer.toFixed(2)} ms; widget/peer ratio ${ratio.toFixed(2)}, goal ≤ ${GOAL_RATIO}: ${ok ? 'OK' : 'OVER'}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
  server.close();
}
