// The CDN build renames private `_` members (terser's mangle.properties) but not the field names
// that tsc's lowered decorators pass as strings: a decorated `_` field would lose its reactivity
// there and only there (the browser tests run the sources). Private reactive state is declared in
// `static properties` instead; this keeps it so, in every CDN file of every widget package.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
// @ts-expect-error: a build script in JavaScript, without declarations
import { minifyCss } from '../../../scripts/minify-css.mjs';

const packages = new URL('../../', import.meta.url);
const bundles = ['payment-widget', 'survey-widget', 'counter-screen'].flatMap((name) => {
  const dir = new URL(`${name}/dist/cdn/`, packages);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => new URL(file, dir));
});

/** A CDN file and every chunk it loads, statically or lazily (`"./x.js"`), transitively. */
function graph(file: URL, seen = new Set<string>()): URL[] {
  if (seen.has(file.href)) return [];
  seen.add(file.href);
  const imports = [...readFileSync(file, 'utf8').matchAll(/["'](\.\/[^"']+\.js)["']/g)].map((match) => new URL(match[1]!, file));
  return [file, ...imports.filter((url) => existsSync(url)).flatMap((url) => graph(url, seen))];
}

describe('CDN builds', () => {
  // The lazy chunks import Lit like any module (rollup.config.mjs): each CDN file and its chunks
  // must still share one Lit, or two would each define their own templates and styles.
  it('should carry one Lit per CDN file, shared with its lazy chunks', { skip: !bundles.length && 'no CDN build (npx rollup -c)' }, () => {
    const entries = bundles.filter((url) =>
      /\/(qr-payment|qr-payment-slip|qr-survey|qr-counter-screen|qr-exceptions-desk|motcua|motcua-payment-slip)\.js$/.test(url.pathname),
    );
    assert.equal(entries.length, 7, entries.map((url) => url.pathname).join());
    for (const entry of entries) {
      const files = graph(entry);
      const copies = files.reduce((sum, file) => sum + (readFileSync(file, 'utf8').match(/litHtmlVersions/g)?.length ?? 0), 0);
      assert.equal(copies, 1, `${entry.pathname}: ${copies} copies of lit-html in ${files.length} files`);
    }
  });

  it('should decorate no private (mangled) member by name', { skip: !bundles.length && 'no CDN build (npx rollup -c)' }, () => {
    assert.ok(bundles.length >= 6, `CDN files found: ${bundles.length}`);
    for (const bundle of bundles) {
      const code = readFileSync(bundle, 'utf8');
      assert.deepEqual(code.match(/\.prototype,"_[A-Za-z][^"]*"/g) ?? [], [], bundle.pathname);
    }
  });

  it('should minify the styles by whitespace and comments only', () => {
    const sources = ['payment-widget/src/qr-payment.styles.ts', 'payment-widget/src/qr-payment-slip.styles.ts', 'survey-widget/src/styles.ts'];
    const bare = (css: string) =>
      css
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, '')
        .replace(/;}/g, '}');
    for (const source of sources) {
      const templates = [...readFileSync(new URL(source, packages), 'utf8').matchAll(/\bcss`([^`$]*)`/g)].map((match) => match[1]!);
      assert.ok(templates.length > 0, source);
      for (const css of templates) {
        const minified = minifyCss(css) as string;
        assert.equal(bare(minified), bare(css), source);
        assert.ok(minified.length < css.length * 0.8, `${source}: ${minified.length} of ${css.length} characters`);
        // A space that separates (a descendant combinator, `1px solid`) stays.
        assert.equal(
          minified.match(/[\w)\]*] +[\w.#[:*-]/g)?.length ?? 0,
          css.replace(/\/\*[\s\S]*?\*\//g, '').match(/[\w)\]*] +[\w.#[:*-]/g)?.length ?? 0,
          source,
        );
      }
    }
  });
});
