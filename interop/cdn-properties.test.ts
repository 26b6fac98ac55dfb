// The CDN files are bundled from tsc's output (Lit's decorators, `experimentalDecorators`). Here each CDN file's elements are
// checked, in Chromium, against the manifest generated from the sources' decorators: the same
// observed attributes, the same defaults, attribute → property conversion by type, and reflection.
// The headless modules beside the all-in-one file are checked too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CDN_FILES, collectProblems, launchBrowser, root, startInteropServer, type CdnFile, type InteropServer } from './harness.js';

interface ManifestAttribute {
  name: string;
  fieldName?: string;
  type?: { text: string };
  default?: string;
}
interface ManifestMember {
  kind: string;
  name: string;
  reflects?: boolean;
  attribute?: string;
  default?: string;
  type?: { text: string };
}
interface ManifestElement {
  tagName: string;
  attributes?: ManifestAttribute[];
  members?: ManifestMember[];
}

const PACKAGE_OF: Record<string, string> = { 'qr-payment': 'payment-widget', 'qr-survey': 'survey-widget', 'qr-counter-screen': 'counter-screen' };

function manifestElement(tag: string): ManifestElement {
  const manifest = JSON.parse(readFileSync(path.join(root, 'packages', PACKAGE_OF[tag]!, 'dist', 'custom-elements.json'), 'utf8')) as {
    modules: Array<{ declarations?: ManifestElement[] }>;
  };
  const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === tag);
  assert.ok(element, `${tag} is in its package's custom-elements.json`);
  return element;
}

/** The `@property(...) accessor name` declarations of the element's source, read independently of any build. */
function decoratedProperties(tag: string): Array<{ field: string; attribute: boolean; state: boolean }> {
  const file = {
    'qr-payment': 'payment-widget/src/qr-payment.ts',
    'qr-survey': 'survey-widget/src/qr-survey.ts',
    'qr-counter-screen': 'counter-screen/src/qr-counter-screen.ts',
  }[tag]!;
  const source = readFileSync(path.join(root, 'packages', file), 'utf8');
  return [...source.matchAll(/@property\(([^)]*)\)\s+(?:override\s+)?(?:get\s+)?(\w+)/g)].map(([, options, field]) => ({
    field: field!,
    attribute: !/attribute:\s*false/.test(options!),
    state: false,
  }));
}

/** A default as the manifest prints it (source text: `''`, `2000`, `10_000`, `'officer'`, `false`) → its value. */
function parseDefault(text: string): unknown {
  if (text === 'undefined') return undefined;
  return JSON.parse(text.replace(/^'(.*)'$/, '"$1"').replace(/(\d)_(\d)/g, '$1$2'));
}

/** What Lit's converter makes of an attribute value, from the declared TypeScript type. */
function converterOf(type = ''): 'number' | 'boolean' | 'string' {
  if (/\bnumber\b|^\d/.test(type)) return 'number';
  if (/\bboolean\b/.test(type)) return 'boolean';
  return 'string';
}

/** A valid value for each reflecting property, to set and read back as an attribute. */
const REFLECTED_VALUES: Record<string, string> = { view: 'customer', mode: 'phone' };

let server: InteropServer;
let browser: Browser;

before(async () => {
  server = await startInteropServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openBlank(file: string): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = collectProblems(page);
  await page.goto(`${server.url}/blank.html?cdn=${encodeURIComponent(file)}`);
  return { page, problems, close: () => context.close() };
}

describe('CDN files: reactive properties as the sources declare them', () => {
  for (const [cdn, { tags }] of Object.entries(CDN_FILES) as Array<[CdnFile, { tags: readonly string[] }]>) {
    it(`${cdn}: observed attributes, defaults, conversion and reflection match custom-elements.json`, async () => {
      const { page, problems, close } = await openBlank(cdn);
      try {
        await page.waitForFunction((list) => list.every((tag) => customElements.get(tag)), [...tags], { timeout: 10_000 });
        for (const tag of tags) {
          const element = manifestElement(tag);
          const attributes = (element.attributes ?? []).filter((attribute) => attribute.fieldName);
          assert.ok(attributes.length >= 5, `${tag} has attributes in its manifest`);
          const observed = await page.evaluate(
            (name) => [...(customElements.get(name) as unknown as { observedAttributes: string[] }).observedAttributes],
            tag,
          );
          // `lang` is HTMLElement's own attribute, which <qr-survey> also declares as a property.
          assert.deepEqual(
            observed.filter((name) => name !== 'lang').sort(),
            attributes
              .map((a) => a.name)
              .filter((name) => name !== 'lang')
              .sort(),
            `${tag}: observed attributes`,
          );

          const checks = attributes.map((attribute) => ({
            attribute: attribute.name,
            field: attribute.fieldName!,
            converter: converterOf(attribute.type?.text),
            hasDefault: attribute.default !== undefined,
            expectedDefault: attribute.default === undefined ? null : parseDefault(attribute.default),
          }));
          const results = await page.evaluate(
            ({ name, checks }) => {
              // (No named functions in here: tsx would wrap them in a helper the page does not have.)
              return checks.map((check) => {
                const initial = (document.createElement(name) as unknown as Record<string, unknown>)[check.field];
                const element = document.createElement(name) as unknown as Record<string, unknown> & HTMLElement;
                const raw = check.converter === 'number' ? '1234' : check.converter === 'boolean' ? '' : 'x-1';
                element.setAttribute(check.attribute, raw);
                const converted = element[check.field];
                return { field: check.field, initial: initial === undefined ? '(undefined)' : initial, converted };
              });
            },
            { name: tag, checks },
          );
          for (const [index, result] of results.entries()) {
            const check = checks[index]!;
            if (check.hasDefault) assert.deepEqual(result.initial, check.expectedDefault ?? '(undefined)', `${tag}.${check.field}: default`);
            const expected = check.converter === 'number' ? 1234 : check.converter === 'boolean' ? true : 'x-1';
            assert.deepEqual(result.converted, expected, `${tag}: attribute ${check.attribute} → ${check.field}`);
          }

          // Every decorated property of the source is a reactive property of the built class, with
          // `attribute: false` where the decorator says so (those have no attribute to check above).
          const declared = decoratedProperties(tag);
          const built = await page.evaluate((name) => {
            const elementClass = customElements.get(name) as unknown as { elementProperties: Map<string, { attribute?: unknown; state?: boolean }> };
            return [...elementClass.elementProperties].map(([field, options]) => ({
              field,
              attribute: options.attribute !== false,
              state: Boolean(options.state),
            }));
          }, tag);
          assert.deepEqual(
            built.filter((p) => !p.state).sort((a, b) => a.field.localeCompare(b.field)),
            declared.sort((a, b) => a.field.localeCompare(b.field)),
            `${tag}: reactive properties as declared with @property`,
          );

          for (const member of (element.members ?? []).filter((m) => m.reflects)) {
            const reflected = await page.evaluate(
              async ({ name, field, attribute, value }) => {
                const holder = document.createElement('div');
                holder.hidden = true;
                document.body.append(holder);
                const element = document.createElement(name) as unknown as Record<string, unknown> & HTMLElement & { updateComplete: Promise<unknown> };
                holder.append(element);
                element[field] = value;
                await element.updateComplete;
                const reflected = element.getAttribute(attribute);
                holder.remove();
                return reflected;
              },
              { name: tag, field: member.name, attribute: member.attribute ?? member.name, value: REFLECTED_VALUES[member.name] ?? 'x-1' },
            );
            assert.equal(reflected, REFLECTED_VALUES[member.name] ?? 'x-1', `${tag}.${member.name} reflects to its attribute`);
          }
        }
        assert.deepEqual(
          problems.filter((p) => p.startsWith('pageerror')),
          [],
          'no page errors',
        );
      } finally {
        await close();
      }
    });
  }

  it('motcua-watch-payment.js and motcua-submission-queue.js: the headless APIs beside motcua.js, sharing its modules', async () => {
    const { page, problems, close } = await openBlank('motcua.js');
    try {
      const result = await page.evaluate(async () => {
        const [{ watchPayment }, { SubmissionQueue }, all] = await Promise.all([
          import('/cdn/motcua-watch-payment.js' as string) as Promise<{ watchPayment: unknown }>,
          import('/cdn/motcua-submission-queue.js' as string) as Promise<{ SubmissionQueue: { shared(): object } }>,
          import('/cdn/motcua.js' as string) as Promise<Record<string, unknown>>,
        ]);
        return {
          watchPayment: typeof watchPayment,
          // biome-ignore lint/suspicious/noSelfCompare: two calls must return the one shared queue.
          shared: SubmissionQueue.shared() === SubmissionQueue.shared(),
          exports: Object.keys(all).sort(),
          elementIsExport: all.QrSurvey === customElements.get('qr-survey'),
        };
      });
      assert.equal(result.watchPayment, 'function');
      assert.equal(result.shared, true);
      assert.equal(result.elementIsExport, true, 'motcua.js exports the classes it registers');
      assert.deepEqual(result.exports, [
        'PaymentFeed',
        'QrCounterScreen',
        'QrPayment',
        'QrSurvey',
        'VERSION',
        'VietQRError',
        'amountDue',
        'amountToRefund',
        'decodeVietQR',
        'encodeVietQR',
        'isClosedWithMoney',
      ]);
      // The elements load the same files when they need them (no second, hashed copy), so a host's
      // queue is the elements' queue.
      // motcua.js's own build: `qr-counter-screen*.js` shares the folder (the same package's CDN files).
      const files = readdirSync(path.join(root, 'packages/counter-screen/dist/cdn')).filter((file) => file.startsWith('motcua'));
      const code = files.map((file) => readFileSync(path.join(root, 'packages/counter-screen/dist/cdn', file), 'utf8')).join('\n');
      assert.match(code, /import\(["']\.\/motcua-submission-queue\.js["']\)/);
      assert.match(code, /import\(["']\.\/motcua-watch-payment\.js["']\)/);
      assert.deepEqual(
        files.filter((file) => /(submission-queue|watch-payment)-/.test(file)),
        [],
      );
      assert.deepEqual(
        problems.filter((p) => p.startsWith('pageerror')),
        [],
      );
    } finally {
      await close();
    }
  });
});

/** Adds a `<qr-counter-screen counter="C9">` retrying every `backoffMs` (±), and waits for its "could not load". */
async function mountFailingScreen(page: Page, backoffMs: number): Promise<void> {
  await page.evaluate((ms) => {
    const screen = document.createElement('qr-counter-screen');
    screen.setAttribute('counter', 'C9');
    screen.setAttribute('reconnect-min-ms', String(ms));
    screen.setAttribute('reconnect-max-ms', String(ms * 2));
    document.body.append(screen);
  }, backoffMs);
  await page.waitForFunction(() => document.querySelector('qr-counter-screen')?.shadowRoot?.querySelector('[role="alert"]'), null, { timeout: 10_000 });
}

describe('CDN files: a lazy chunk that cannot load', () => {
  it('qr-counter-screen.js: the screen says it could not load, tries again (also when put back into the page), and comes up once the chunk is reachable', async () => {
    server.failing.add(/^qr-counter-screen-counter-screen-/);
    const { page, close } = await openBlank('qr-counter-screen.js');
    try {
      await mountFailingScreen(page, 60_000);
      const shown = await page.evaluate(() => document.querySelector('qr-counter-screen')!.shadowRoot!.querySelector('[role="alert"]')!.textContent);
      assert.match(shown ?? '', /Không tải được màn hình quầy/);
      // The chunk is reachable again, and the screen is moved (its next retry, a minute away, is
      // dropped with the disconnection): it tries again as soon as it is put back.
      server.failing.clear();
      await page.evaluate(() => {
        const screen = document.querySelector('qr-counter-screen')!;
        screen.remove();
        document.body.append(screen);
      });
      // It loads the chunk and the screen starts (no counter channel here: it keeps connecting).
      await page.waitForFunction(() => document.querySelector('qr-counter-screen')?.shadowRoot?.querySelector('[part~="counter-name"]'), null, {
        timeout: 10_000,
      });
      const view = await page.evaluate(() => (document.querySelector('qr-counter-screen') as HTMLElement & { view: string }).view);
      assert.equal(view, 'connecting');
    } finally {
      server.failing.clear();
      await close();
    }
  });

  it('qr-counter-screen.js: the screen retries by itself, with its reconnect backoff', async () => {
    server.failing.add(/^qr-counter-screen-counter-screen-/);
    const { page, close } = await openBlank('qr-counter-screen.js');
    try {
      await mountFailingScreen(page, 300);
      server.failing.clear();
      await page.waitForFunction(() => document.querySelector('qr-counter-screen')?.shadowRoot?.querySelector('[part~="counter-name"]'), null, {
        timeout: 10_000,
      });
    } finally {
      server.failing.clear();
      await close();
    }
  });
});
