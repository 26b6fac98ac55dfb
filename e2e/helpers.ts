// Shared by the end-to-end tests: the real gateway behind the demo server (demo/server/start.mjs), Debian's
// Chromium driven by playwright-core, a signed bank notification, axe, and QR reading from a screenshot.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQRModule from 'jsqr';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import type { PaymentResource } from '@motcua/core';
import { DEFAULT_CONFIG } from '@motcua/gateway';
// @ts-expect-error — a plain ES module without types (scripts/ is not a TypeScript project).
import { DEMO_SECRETS, copyBundles, startDemo } from '../demo/server/start.mjs';
import { CHROME_ARGS, findChrome } from '../scripts/chrome.mjs';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as { PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } } };

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const AXE_PATH = path.join(root, 'node_modules', 'axe-core', 'axe.min.js');
export const API_KEY: string = DEMO_SECRETS.apiKey;
const WEBHOOK_SECRET: string = DEMO_SECRETS.providers.hmacSecret;

export interface Demo {
  url: string;
  port: number;
  close(): Promise<void>;
}

let bundlesCopied = false;

/** The demo server and gateway, on port 0 (or `port`) with `dataDir` (`memory://` by default). */
export async function startDemoServer(options: { port?: number; dataDir?: string; gateway?: Record<string, unknown> } = {}): Promise<Demo> {
  if (!bundlesCopied) {
    await copyBundles();
    bundlesCopied = true;
  }
  return startDemo({ port: options.port ?? 0, dataDir: options.dataDir ?? 'memory://', quiet: true, gateway: { logLevel: 'silent', ...options.gateway } });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChrome() ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...CHROME_ARGS,
      // The officer's PC and the citizen screen are two visible screens in real life; here they are
      // two tabs, and a background tab's timers and frames must not be throttled.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}

/** What an end-to-end file starts in `before`: the demo server (as `startDemoServer`) and a Chromium. */
export async function startDemoAndBrowser(options: Parameters<typeof startDemoServer>[0] = {}): Promise<{ demo: Demo; browser: Browser }> {
  const demo = await startDemoServer(options);
  try {
    return { demo, browser: await launchBrowser() };
  } catch (error) {
    await demo.close();
    throw error;
  }
}

/** A window of its own (a browser context: one machine's screen, never a throttled background tab), its console watched. */
export async function openWindow(browser: Browser, options: BrowserContextOptions): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext(options)).newPage();
  return { page, problems: watchConsole(page) };
}

/** Collects console errors and CSP violations of a page, to assert none happened. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED|net::ERR_/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** The gateway API with the portal backend's key (what a real portal's server does). */
export async function api<T = unknown>(demo: Demo, method: string, pathAndQuery: string, body?: unknown): Promise<T> {
  const response = await fetch(`${demo.url}${pathAndQuery}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathAndQuery} → ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export function createPayment(
  demo: Demo,
  input: { dossier?: string; amount: number; purpose?: string; counter?: string; expiresIn?: number },
): Promise<PaymentResource> {
  return api<PaymentResource>(demo, 'POST', '/api/payments', {
    dossier: input.dossier ?? `E2E-${randomUUID().slice(0, 8)}`,
    purpose: 'LE PHI',
    counter: 'C1',
    ...input,
  });
}

/** A signed notification from the generic HMAC webhook, as an aggregator posts it. */
export async function notify(
  demo: Demo,
  memo: string,
  amount: number,
  transactionId = `TX${randomUUID().slice(0, 12)}`,
): Promise<{ status: number; body: any }> {
  // `account`: the account credited — the demo's collection account (the gateway's default).
  const body = JSON.stringify({
    id: transactionId,
    amount,
    memo,
    account: DEFAULT_CONFIG.collectionAccount.account,
    reference: `FT${Date.now()}`,
    time: new Date().toISOString(),
  });
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
  const response = await fetch(`${demo.url}/api/bank/notifications/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': `sha256=${signature}` },
    body,
  });
  return { status: response.status, body: await response.json() };
}

/** Runs axe (WCAG 2.x A/AA) on the page, through open shadow roots. Returns the violations. */
export async function axeViolations(page: Page): Promise<Array<{ id: string; impact: string; nodes: string[] }>> {
  // Evaluated through the DevTools protocol rather than page.addScriptTag: the demo's strict CSP
  // (script-src 'self') rightly refuses an injected inline <script>, and must stay on while we test.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }> };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

// jsqr is CommonJS with `export default` types; under NodeNext the default import is the module object's type.
const jsQR = jsQRModule as unknown as typeof import('jsqr').default;

/** Screenshots `locator` and reads the QR in it with jsQR (an independent decoder). */
export async function readQr(locator: Locator): Promise<string | undefined> {
  const png = PNG.sync.read(await locator.screenshot());
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
}

/** Records, in the page, when `qr-payment-paid` fires (Date.now(), same clock as the test). */
export async function recordPaid(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __paid: Record<string, number> };
    w.__paid = {};
    document.addEventListener('qr-payment-paid', (event) => {
      const { payment } = (event as CustomEvent<{ payment: PaymentResource }>).detail;
      w.__paid[payment.id] ??= Date.now();
    });
  });
}

export async function paidAt(page: Page, paymentId: string, timeout = 10_000): Promise<number> {
  const handle = await page.waitForFunction((id) => (window as unknown as { __paid?: Record<string, number> }).__paid?.[id], paymentId, {
    timeout,
    polling: 20,
  });
  return (await handle.jsonValue()) as number;
}

/** The citizen screen's current view (`idle`, `payment`, `paid`, `survey`, `thanks`…). */
export function screenView(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.querySelector('qr-counter-screen')?.shadowRoot?.querySelector('.base')?.getAttribute('data-view') ?? undefined);
}

export async function waitForView(page: Page, view: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    (expected) => document.querySelector('qr-counter-screen')?.shadowRoot?.querySelector('.base')?.getAttribute('data-view') === expected,
    view,
    { timeout, polling: 50 },
  );
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const vietnamToday = (): string => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
