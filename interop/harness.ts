// The interop tests' world: an in-test node:http server on 127.0.0.1 serving the CDN files, the
// React/Vue test pages bundled with esbuild, a tiny wire-protocol payment server (GET + SSE) whose
// payments the test flips to `paid`, and a survey endpoint; and Debian's Chromium via playwright-core.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../scripts/chrome.mjs';
import { encodeVietQR, type PaymentResource, type SurveySubmission } from '@motcua/core';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const here = path.join(root, 'interop');

/** The CDN files a page can load with one `<script type="module">`, and what each one registers. */
export const CDN_FILES = {
  'qr-payment.js': { dir: 'packages/payment-widget/dist/cdn', tags: ['qr-payment'] },
  'qr-survey.js': { dir: 'packages/survey-widget/dist/cdn', tags: ['qr-survey'] },
  'qr-counter-screen.js': { dir: 'packages/counter-screen/dist/cdn', tags: ['qr-payment', 'qr-survey', 'qr-counter-screen'] },
  'motcua.js': { dir: 'packages/counter-screen/dist/cdn', tags: ['qr-payment', 'qr-survey', 'qr-counter-screen'] },
} as const;
export type CdnFile = keyof typeof CDN_FILES;

/** The test apps bundled with esbuild (no Vite): entry → bundle name. */
const BUNDLES = {
  'html-app': 'pages/html-app.ts',
  'react-native-cdn': 'pages/react-native-cdn.tsx',
  'react-native-npm': 'pages/react-native-npm.tsx',
  'react-wrappers': 'pages/react-wrappers.tsx',
  'vue-cdn': 'pages/vue-cdn.ts',
  'vue-npm': 'pages/vue-npm.ts',
} as const;
export type Bundle = keyof typeof BUNDLES;

/** The static payment every page shows (`<qr-payment bank account amount purpose>`). */
export const STATIC_PAYMENT = {
  bank: '970415',
  account: '113366668888',
  accountName: 'UBND XA DONG TAM',
  amount: '50000',
  purpose: 'MC7K2Q9XA LE PHI',
} as const;
export const STATIC_PAYLOAD = encodeVietQR({
  bin: STATIC_PAYMENT.bank,
  account: STATIC_PAYMENT.account,
  amount: STATIC_PAYMENT.amount,
  purpose: STATIC_PAYMENT.purpose,
});

export interface InteropServer {
  url: string;
  /** Ratings received by `POST /api/surveys`, in order. */
  ratings: Array<{ body: SurveySubmission; idempotencyKey: string | undefined }>;
  /** Creates a pending payment served at `/api/payments/{id}`. */
  createPayment(id: string): PaymentResource;
  /** Turns a payment `paid` (version + 1) and pushes it to its open event streams. */
  pay(id: string): void;
  /** How many event streams are open for a payment (the widget is listening). */
  listeners(id: string): number;
  /** CDN files whose name matches are answered 503 (a chunk that cannot load); empty the set to heal. */
  failing: Set<RegExp>;
  close(): Promise<void>;
}

async function bundleAll(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(BUNDLES).map(([name, entry]) => [name, path.join(here, entry)])),
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    outdir: '/bundles',
    jsx: 'automatic',
    // Vue's full build: the Vue page's template is compiled in the browser (where `isCustomElement` applies).
    alias: { vue: 'vue/dist/vue.esm-bundler.js' },
    // The npm builds, as a portal's bundler sees them (Lit's production build; the `development`
    // condition is left to apps that want Lit's dev warnings).
    conditions: ['browser', 'production'],
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    logLevel: 'silent',
    sourcemap: false,
  });
  return new Map(result.outputFiles.map((file) => [path.basename(file.path, '.js'), file.text]));
}

/** Which file serves `/cdn/{name}` (chunks too, e.g. `qr-survey-browser-<hash>.js`). */
function cdnFile(name: string): string | undefined {
  if (!/^[\w.-]+\.js$/.test(name)) return undefined;
  for (const { dir } of Object.values(CDN_FILES)) {
    const file = path.join(root, dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

export function pageHtml(options: {
  framework: 'html' | 'react' | 'vue';
  cdn?: CdnFile | undefined;
  bundle?: Bundle | undefined;
  payment: string;
  dossier: string;
  title: string;
}): string {
  const config = JSON.stringify({ payment: `/api/payments/${options.payment}`, dossier: options.dossier, static: STATIC_PAYMENT });
  const staticAttributes = `bank="${STATIC_PAYMENT.bank}" account="${STATIC_PAYMENT.account}" account-name="${STATIC_PAYMENT.accountName}" amount="${STATIC_PAYMENT.amount}" purpose="${STATIC_PAYMENT.purpose}"`;
  // The plain page is what a portal developer writes: tags in the HTML and one script tag.
  const body =
    options.framework === 'html'
      ? `<qr-payment id="static" ${staticAttributes}></qr-payment>
<qr-payment id="live" src="/api/payments/${options.payment}" poll-max-ms="2000"></qr-payment>
<qr-survey id="survey" endpoint="/api/surveys" counter="C1" dossier="${options.dossier}" token="t-${options.dossier}"></qr-survey>`
      : '<div id="app"></div>';
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>${options.title}</title>
<script type="application/json" id="interop-config">${config}</script>
${options.cdn ? `<script type="module" src="/cdn/${options.cdn}"></script>` : ''}
${options.bundle ? `<script type="module" src="/bundles/${options.bundle}.js"></script>` : ''}
<script src="/vendor/jsQR.js"></script>
</head>
<body>
${body}
</body>
</html>`;
}

export async function startInteropServer(): Promise<InteropServer> {
  const bundles = await bundleAll();
  const jsQr = readFileSync(path.join(root, 'node_modules', 'jsqr', 'dist', 'jsQR.js'), 'utf8');
  const payments = new Map<string, PaymentResource>();
  const streams = new Map<string, Set<ServerResponse>>();
  const ratings: InteropServer['ratings'] = [];
  const failing = new Set<RegExp>();

  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const frame = (payment: PaymentResource) => `event: payment\nid: ${payment.version}\ndata: ${JSON.stringify(payment)}\n\n`;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = url.pathname;
    if (route === '/page.html') {
      const framework = (url.searchParams.get('framework') ?? 'html') as 'html' | 'react' | 'vue';
      const cdn = (url.searchParams.get('cdn') || undefined) as CdnFile | undefined;
      const bundle = (url.searchParams.get('bundle') || undefined) as Bundle | undefined;
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        pageHtml({
          framework,
          cdn,
          bundle,
          payment: url.searchParams.get('payment') ?? 'none',
          dossier: url.searchParams.get('dossier') ?? 'D-0',
          title: `${framework} ${cdn ?? bundle}`,
        }),
      );
    }
    if (route === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    // A page with nothing but one CDN file (or one of its headless modules).
    if (route === '/blank.html') {
      const file = url.searchParams.get('cdn') ?? '';
      const script = cdnFile(file) ? `<script type="module" src="/cdn/${file}"></script>` : '';
      return send(res, 200, 'text/html; charset=utf-8', `<!doctype html><html lang="vi"><title>${file}</title>${script}`);
    }
    if (route === '/vendor/jsQR.js') return send(res, 200, 'text/javascript', jsQr);
    const bundle = /^\/bundles\/([\w-]+)\.js$/.exec(route)?.[1];
    if (bundle && bundles.has(bundle)) return send(res, 200, 'text/javascript', bundles.get(bundle)!);
    const cdn = /^\/cdn\/(.+)$/.exec(route)?.[1];
    if (cdn && [...failing].some((pattern) => pattern.test(cdn))) return send(res, 503, 'text/plain', 'unavailable');
    if (cdn) {
      const file = cdnFile(cdn);
      return file ? send(res, 200, 'text/javascript', readFileSync(file, 'utf8')) : send(res, 404, 'text/plain', 'not built');
    }
    const events = /^\/api\/payments\/([\w-]+)\/events$/.exec(route)?.[1];
    if (events) {
      const payment = payments.get(events);
      if (!payment) return send(res, 404, 'application/json', '{"error":"NOT_FOUND"}');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`retry: 1000\n\n${frame(payment)}`);
      const open = streams.get(events) ?? new Set();
      open.add(res);
      streams.set(events, open);
      req.on('close', () => open.delete(res));
      return;
    }
    const id = /^\/api\/payments\/([\w-]+)$/.exec(route)?.[1];
    if (id) {
      const payment = payments.get(id);
      return payment ? send(res, 200, 'application/json', JSON.stringify(payment)) : send(res, 404, 'application/json', '{"error":"NOT_FOUND"}');
    }
    if (route === '/api/surveys' && req.method === 'POST') {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        const key = req.headers['idempotency-key'];
        ratings.push({ body: JSON.parse(text) as SurveySubmission, idempotencyKey: typeof key === 'string' ? key : undefined });
        send(res, 201, 'application/json', JSON.stringify({ id: `r${ratings.length}` }));
      });
      return;
    }
    send(res, 404, 'text/plain', 'not found');
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    ratings,
    createPayment(id) {
      const amount = 120000;
      const code = `MC${id
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .slice(0, 7)
        .padEnd(7, 'X')}`;
      const payment: PaymentResource = {
        id,
        code,
        status: 'pending',
        amount,
        amountPaid: 0,
        currency: 'VND',
        qr: encodeVietQR({ bin: '970415', account: '113366668888', amount, purpose: `${code} LE PHI`, initiation: 'dynamic' }),
        bank: { bin: '970415', account: '113366668888', accountName: 'UBND XA DONG TAM' },
        purpose: 'LE PHI',
        dossier: `D-${id}`,
        counter: 'C1',
        expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
        paidAt: null,
        version: 1,
      };
      payments.set(id, payment);
      return payment;
    },
    pay(id) {
      const current = payments.get(id);
      if (!current) throw new Error(`no payment ${id}`);
      const paid: PaymentResource = { ...current, status: 'paid', amountPaid: current.amount, paidAt: new Date().toISOString(), version: current.version + 1 };
      payments.set(id, paid);
      for (const res of streams.get(id) ?? []) res.write(frame(paid));
    },
    listeners: (id) => streams.get(id)?.size ?? 0,
    failing,
    close: () =>
      new Promise<void>((resolve) => {
        for (const open of streams.values()) for (const res of open) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChrome() ?? '/usr/bin/chromium',
    headless: true,
    args: CHROME_ARGS,
  });
}

/** Page errors and console errors, to assert that none happened. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  return problems;
}

/** What the page's app recorded from the elements' events (`window.__interop`, see pages/record.ts). */
export interface Recorded {
  via: string;
  type: string;
  detail: Record<string, unknown>;
}

export function recorded(page: Page): Promise<Recorded[]> {
  return page.evaluate(() => (window as unknown as { __interop?: { events: Recorded[] } }).__interop?.events ?? []);
}

/**
 * Reads the QR a `<qr-payment>` drew: its shadow `<svg part="qr">`, serialised, drawn on a canvas
 * and decoded with jsQR in the page. Returns the decoded payload.
 */
export async function readPaymentQr(page: Page, selector: string): Promise<string | null> {
  await page.waitForFunction((sel) => Boolean(document.querySelector(sel)?.shadowRoot?.querySelector('svg[part~="qr"] path')), selector, { timeout: 10_000 });
  return page.evaluate(async (sel) => {
    const svg = document.querySelector(sel)!.shadowRoot!.querySelector('svg[part~="qr"]')!;
    const text = new XMLSerializer().serializeToString(svg);
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 400;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0, 400, 400);
    const pixels = context.getImageData(0, 0, 400, 400);
    const jsQR = (window as unknown as { jsQR: (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null }).jsQR;
    return jsQR(pixels.data, 400, 400)?.data ?? null;
  }, selector);
}

/** The text of a shadow part of an element, e.g. the payment's status line. */
export function partText(page: Page, selector: string, part: string): Promise<string> {
  return page.evaluate(
    ([sel, name]) => document.querySelector(sel!)?.shadowRoot?.querySelector(`[part~="${name}"]`)?.textContent?.trim() ?? '',
    [selector, part],
  );
}
