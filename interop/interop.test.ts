// Each CDN file in a plain HTML page, a React 19 page and a Vue 3 page, and the npm builds in React
// (@lit/react wrappers and React 19's own custom-element support) and Vue, in Chromium: a static
// payment renders a QR that decodes to the expected VietQR, a live payment (`src`, SSE) turns `paid`
// when the test's server says so and the framework's handler hears it once, and a one-tap rating
// reaches the test's survey endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  CDN_FILES,
  STATIC_PAYLOAD,
  collectProblems,
  launchBrowser,
  partText,
  readPaymentQr,
  recorded,
  startInteropServer,
  type Bundle,
  type CdnFile,
  type InteropServer,
} from './harness.js';

let server: InteropServer;
let browser: Browser;
let counter = 0;

before(async () => {
  server = await startInteropServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

interface Scenario {
  framework: 'html' | 'react' | 'vue';
  cdn?: CdnFile;
  bundle: Bundle;
  /** What the framework's event binding is recorded as (see pages/). */
  via: string;
  tags: readonly string[];
}

async function run(scenario: Scenario): Promise<void> {
  const id = `p${++counter}-${scenario.bundle}`;
  const dossier = `D-${id}`;
  server.createPayment(id);
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = collectProblems(page);
  try {
    const query = new URLSearchParams({
      framework: scenario.framework,
      bundle: scenario.bundle,
      payment: id,
      dossier,
      ...(scenario.cdn ? { cdn: scenario.cdn } : {}),
    });
    await page.goto(`${server.url}/page.html?${query}`);
    await page.waitForFunction((tags) => tags.every((tag) => customElements.get(tag)), [...scenario.tags], { timeout: 10_000 });
    const defined = await page.evaluate(() => ['qr-payment', 'qr-survey', 'qr-counter-screen'].filter((tag) => customElements.get(tag)));
    assert.deepEqual(
      defined,
      ['qr-payment', 'qr-survey', 'qr-counter-screen'].filter((tag) => scenario.tags.includes(tag)),
      'registers exactly its elements',
    );

    if (scenario.tags.includes('qr-payment')) await payment(page, scenario, id);
    if (scenario.tags.includes('qr-survey')) await rating(page, scenario, dossier);
    assert.deepEqual(problems, [], 'no page errors or console errors');
  } finally {
    await context.close();
  }
}

async function payment(page: Page, scenario: Scenario, id: string): Promise<void> {
  assert.equal(await readPaymentQr(page, '#static'), STATIC_PAYLOAD, 'the static QR decodes to the VietQR of its attributes');

  await page.waitForFunction(() => (document.querySelector('#live') as HTMLElement & { status?: string }).status === 'pending', null, { timeout: 10_000 });
  assert.equal(
    await page.evaluate(() => (document.querySelector('#live') as HTMLElement & { pollMaxMs: number }).pollMaxMs),
    2000,
    'poll-max-ms / pollMaxMs reached the element',
  );
  assert.ok(await readPaymentQr(page, '#live'), 'the live payment shows a readable QR');
  // The widget listens on SSE before the bank "pays".
  for (let waited = 0; server.listeners(id) === 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  server.pay(id);

  await page.waitForFunction(
    (via) =>
      (window as unknown as { __interop: { events: Array<{ via: string; type: string }> } }).__interop.events.some(
        (e) => e.via === via && e.type === 'qr-payment-paid',
      ),
    scenario.via,
    { timeout: 10_000 },
  );
  assert.equal(await partText(page, '#live', 'status'), 'Đã thanh toán');
  const paid = (await recorded(page)).filter((e) => e.via === scenario.via && e.type === 'qr-payment-paid');
  assert.equal(paid.length, 1, 'the framework heard qr-payment-paid once');
  assert.equal((paid[0]!.detail as { payment: { id: string; status: string } }).payment.id, id);
  if (scenario.framework !== 'html') await page.waitForSelector('main[data-paid="yes"]', { timeout: 5000 });
}

async function rating(page: Page, scenario: Scenario, dossier: string): Promise<void> {
  await page.locator('#survey').locator('[part~="option-positive"]').first().click();
  await page.waitForFunction(
    (via) =>
      (window as unknown as { __interop: { events: Array<{ via: string; type: string }> } }).__interop.events.some(
        (e) => e.via === via && e.type === 'qr-survey-submit',
      ),
    scenario.via,
    { timeout: 10_000 },
  );
  const received = server.ratings.filter((rating) => rating.body.dossier === dossier);
  assert.equal(received.length, 1, 'one rating reached the endpoint');
  assert.equal(received[0]!.body.counter, 'C1');
  assert.equal(received[0]!.body.token, `t-${dossier}`);
  assert.ok(Object.values(received[0]!.body.answers).length > 0, 'the rating carries an answer');
  assert.ok(received[0]!.idempotencyKey, 'with an Idempotency-Key');
}

const FRAMEWORKS = [
  { framework: 'html', bundle: 'html-app', via: 'addEventListener' },
  { framework: 'react', bundle: 'react-native-cdn', via: 'react-native' },
  { framework: 'vue', bundle: 'vue-cdn', via: 'vue' },
] as const;

describe('CDN files, one <script type="module"> each', () => {
  for (const [cdn, { tags }] of Object.entries(CDN_FILES) as Array<[CdnFile, { tags: readonly string[] }]>) {
    for (const { framework, bundle, via } of FRAMEWORKS) {
      it(`${cdn} in a ${framework === 'html' ? 'plain HTML' : framework === 'react' ? 'React 19' : 'Vue 3'} page: ${tags.includes('qr-payment') ? 'payment renders and turns paid' : ''}${tags.includes('qr-payment') && tags.includes('qr-survey') ? ', ' : ''}${tags.includes('qr-survey') ? 'rating is sent' : ''}`, () =>
        run({ framework, cdn, bundle, via, tags }));
    }
  }
});

describe('npm builds in framework apps (bundled with esbuild)', () => {
  const both = ['qr-payment', 'qr-survey'] as const;
  // Only the wrappers the app imports are bundled (@motcua/react has one module per element and
  // `sideEffects: false`), so <qr-counter-screen> is not registered here.
  it('React 19 with @motcua/react (@lit/react wrappers, onPaid / onSubmit props); unused elements tree-shaken', () =>
    run({ framework: 'react', bundle: 'react-wrappers', via: 'react-wrapper', tags: both }));
  it("React 19's native custom-element support, no wrapper (properties set, onqr-payment-paid listens)", () =>
    run({ framework: 'react', bundle: 'react-native-npm', via: 'react-native', tags: both }));
  it('Vue 3 with isCustomElement and @qr-payment-paid', () => run({ framework: 'vue', bundle: 'vue-npm', via: 'vue', tags: both }));
  it('the CDN file and an npm copy on one page: guarded registration, everything still works', () =>
    run({ framework: 'react', cdn: 'motcua.js', bundle: 'react-wrappers', via: 'react-wrapper', tags: [...both, 'qr-counter-screen'] }));
});
