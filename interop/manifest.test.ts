// The distribution metadata: custom-elements.json per widget package (from the JSDoc), the generated
// reference and React wrappers kept in step with it, and package.json fields that point at real files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error — a plain ES module without types (scripts/ is not a TypeScript project).
import { ELEMENT_PACKAGES, generate, templateParts } from '../scripts/manifest.mjs';
import { root } from './harness.js';

interface Element {
  tagName: string;
  modulePath: string;
  attributes?: Array<{ name: string; fieldName?: string }>;
  members?: Array<{ kind: string; name: string }>;
  events?: Array<{ name: string; description?: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}
interface Generated {
  packages: Array<{ dir: string; name: string; manifest: unknown; elements: Element[] }>;
  reference: string;
  reactComponents: Record<string, string>;
}

const generated = generate() as Generated;
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const packageJson = (dir: string) => JSON.parse(read(`packages/${dir}/package.json`)) as Record<string, unknown>;

describe('custom-elements manifests', () => {
  it("should describe each widget package's element with its attributes, events, parts and CSS properties", () => {
    const tags = generated.packages.map((p) => p.elements.map((e) => e.tagName));
    assert.deepEqual(tags, [['qr-payment', 'qr-payment-slip'], ['qr-survey'], ['qr-counter-screen', 'qr-exceptions-desk']]);
    const payment = generated.packages[0]!.elements[0]!;
    assert.ok(payment.attributes?.some((a) => a.name === 'account-name' && a.fieldName === 'accountName'));
    assert.ok(
      payment.members?.some((m) => m.name === 'statusSource'),
      'property-only fields are listed',
    );
    assert.ok(!payment.members?.some((m) => m.name.startsWith('_')), 'private state is not');
    assert.deepEqual(
      payment.events?.map((e) => e.name),
      ['qr-payment-status', 'qr-payment-paid', 'qr-payment-expired', 'qr-payment-error', 'qr-payment-regenerate'],
    );
    for (const { elements } of generated.packages) {
      for (const element of elements) {
        assert.ok(element.events?.length && element.events.every((e) => e.description), `${element.tagName}: documented events`);
        assert.ok(element.cssParts?.length, `${element.tagName}: parts`);
        assert.ok(element.cssProperties?.length, `${element.tagName}: CSS properties`);
      }
    }
  });

  it("should match what npm run build wrote to each package's dist/ (pointed to by customElements)", () => {
    for (const { dir, manifest } of generated.packages) {
      const pkg = packageJson(dir);
      assert.equal(pkg.customElements, './dist/custom-elements.json');
      const file = path.join(root, 'packages', dir, 'dist', 'custom-elements.json');
      assert.ok(existsSync(file), `${file} — run npm run build (or npm test)`);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), manifest);
      const customData = JSON.parse(read(`packages/${dir}/dist/vscode.html-custom-data.json`)) as { tags: Array<{ name: string; attributes: unknown[] }> };
      assert.ok(customData.tags.length > 0 && customData.tags.every((tag) => tag.attributes.length > 0));
    }
  });

  it('should keep docs/reference.md and the @motcua/react wrappers generated from the current JSDoc (npm run manifest)', () => {
    assert.equal(read('docs/reference.md'), generated.reference);
    for (const [file, text] of Object.entries(generated.reactComponents)) assert.equal(read(`packages/react/src/${file}`), text, file);
    for (const { elements } of generated.packages) {
      for (const element of elements) {
        for (const attribute of element.attributes ?? [])
          assert.ok(generated.reference.includes(`| \`${attribute.name}\` |`), `${element.tagName} ${attribute.name} in the reference`);
        for (const event of element.events ?? []) assert.ok(generated.reference.includes(`| \`${event.name}\` |`), `${event.name} in the reference`);
      }
    }
  });
});

describe('custom-elements manifests against the docs', () => {
  const partsOf = (tag: string) =>
    new Set(
      generated.packages
        .flatMap((p) => p.elements)
        .find((e) => e.tagName === tag)
        ?.cssParts?.map((part) => part.name),
    );

  it('should list every part, attribute and event a package README names', () => {
    for (const { dir, elements } of generated.packages) {
      const readme = read(`packages/${dir}/README.md`);
      for (const element of elements) {
        // "Parts: `base`, `qr-frame`, …" in the README's Styling section (of the package's main element;
        // payment-widget's slip lists its own under "Slip parts:").
        const partsParagraph = readme.match(element === elements[0] ? /^Parts: ([\s\S]*?)\n\n/m : /^Slip parts: ([\s\S]*?)\n\n/m)?.[1] ?? '';
        for (const [, name] of partsParagraph.matchAll(/`([a-z][a-z0-9-]*)`/g))
          assert.ok(partsOf(element.tagName).has(name!), `${element.tagName}: part ${name} (README) is in custom-elements.json`);
        for (const [, name] of readme.matchAll(new RegExp(`^\\| \`(${element.tagName}-[a-z-]+)\` \\|`, 'gm'))) {
          assert.ok(
            element.events?.some((e) => e.name === name),
            `${element.tagName}: event ${name} (README) is in custom-elements.json`,
          );
        }
      }
    }
  });

  it('should list every part that docs/theming.md styles, that the JSDoc names and that the templates carry', () => {
    for (const [, tag, name] of read('docs/theming.md').matchAll(/(qr-[a-z-]+)::part\(([a-z0-9-]+)\)/g))
      assert.ok(partsOf(tag!).has(name!), `${tag}::part(${name})`);
    for (const { dir, elements } of generated.packages) {
      for (const element of elements) {
        // One element: every template of the package; several (the slip beside <qr-payment>): its own module's.
        const files = readdirSync(path.join(root, 'packages', dir, 'src'), { recursive: true })
          .map(String)
          .filter((file) => file.endsWith('.ts') && (elements.length === 1 || `dist/${file.replace(/\.ts$/, '.js')}` === element.modulePath));
        const sources = files.map((file) => readFileSync(path.join(root, 'packages', dir, 'src', file), 'utf8'));
        for (const name of (sources.flatMap(templateParts) as string[][]).flat())
          assert.ok(partsOf(element.tagName).has(name), `${element.tagName}: part="${name}" in a template`);
        for (const text of sources) {
          for (const [, also] of text.matchAll(/@csspart [a-z0-9-]+ - [^\n]*\balso\b([^\n]*)/g)) {
            for (const [, name] of also!.matchAll(/`([a-z][a-z0-9-]*)`/g))
              assert.ok(partsOf(element.tagName).has(name!), `${element.tagName}: part ${name} (JSDoc)`);
          }
        }
        for (const part of element.cssParts ?? []) assert.ok(generated.reference.includes(`| \`${part.name}\` |`), `${part.name} in docs/reference.md`);
      }
    }
    assert.ok(partsOf('qr-payment').has('copy-button') && partsOf('qr-payment').has('regenerate-button'));
  });
});

describe('package.json of the widget packages', () => {
  for (const dir of ELEMENT_PACKAGES as string[]) {
    it(`${dir}: exports (types first, development, default) and sideEffects point at built files`, () => {
      const pkg = packageJson(dir) as { exports: Record<string, string | Record<string, string>>; sideEffects: string[] };
      for (const [subpath, target] of Object.entries(pkg.exports)) {
        if (typeof target === 'string') {
          if (!target.includes('*')) assert.ok(existsSync(path.join(root, 'packages', dir, target)), `${subpath} → ${target}`);
          continue;
        }
        assert.deepEqual(Object.keys(target), ['types', 'development', 'default'], subpath);
        for (const file of Object.values(target)) assert.ok(existsSync(path.join(root, 'packages', dir, file)), `${subpath} → ${file}`);
      }
      assert.ok(pkg.sideEffects.includes('./dist/define.js') && pkg.sideEffects.includes('./dist/index.js'));
      for (const file of pkg.sideEffects) assert.ok(existsSync(path.join(root, 'packages', dir, file)), file);
    });
  }

  it('should pack the manifest, the VS Code data and the CDN file with the npm build', () => {
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '-w', 'packages/payment-widget'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = (JSON.parse(output) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/index.d.ts.map',
      'dist/custom-elements.json',
      'dist/vscode.html-custom-data.json',
      'dist/cdn/qr-payment.js',
      'package.json',
    ]) {
      assert.ok(files.includes(file), `${file} is published`);
    }
  });
});

describe('versions', () => {
  // The version a package stamps on its registered classes (two copies on one page name both) and the
  // gateway's OpenAPI `info.version` are written in its sources: a release that bumps package.json
  // without them would have copies warn with the wrong number.
  const STAMPS: Array<[string, string, RegExp]> = [
    ['payment-widget', 'src/version.ts', /export const VERSION = '([^']+)'/],
    ['survey-widget', 'src/define.ts', /export const VERSION = '([^']+)'/],
    ['counter-screen', 'src/version.ts', /export const VERSION = '([^']+)'/],
    ['gateway', 'src/app.ts', /const PACKAGE_VERSION = '([^']+)'/],
  ];
  for (const [dir, file, pattern] of STAMPS) {
    it(`${dir}: ${file} names the version of its package.json`, () => {
      const stamped = pattern.exec(read(`packages/${dir}/${file}`))?.[1];
      assert.equal(stamped, packageJson(dir).version);
    });
  }

  it('should write each version once per package (the others import it)', () => {
    for (const dir of ['payment-widget', 'survey-widget', 'counter-screen', 'gateway']) {
      const sources = readdirSync(path.join(root, 'packages', dir, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
      const writers = sources.filter((f) => /(?:VERSION|PACKAGE_VERSION) = '\d/.test(read(`packages/${dir}/src/${f}`)));
      assert.equal(writers.length, 1, `${dir}: ${writers.join(', ')}`);
    }
  });
});
