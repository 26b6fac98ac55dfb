// Unit tests of the CDN build's decorator rewrite (scripts/rollup-lit-properties.mjs), on what the
// project's own tsc emits for small classes. The built elements themselves are checked in Chromium
// against their manifests by interop/cdn-properties.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rollup/parseAst';
import { rewriteDecoratedClasses } from './rollup-lit-properties.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = mkdtempSync(path.join(tmpdir(), 'motcua-lit-properties-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Stand-ins with Lit's names: the rewrite recognises the decorators by name and never calls them.
const PRELUDE = `
const property = (options?: object) => (target: any, context: ClassAccessorDecoratorContext) => target;
const state = (options?: object) => (target: any, context: ClassAccessorDecoratorContext) => target;
const other = () => (target: any, context: ClassAccessorDecoratorContext) => target;
class Base { constructor(..._args: unknown[]) {} }
`;

let counter = 0;
/** Compiles `body` (a TypeScript module) with the project's tsc as the packages are compiled (ES2022, standard decorators). */
function compile(body) {
  const name = `fixture${++counter}`;
  writeFileSync(path.join(dir, `${name}.ts`), PRELUDE + body);
  execFileSync(
    path.join(root, 'node_modules', '.bin', 'tsc'),
    [
      '--target',
      'es2022',
      '--module',
      'es2022',
      '--strict',
      'false',
      '--useDefineForClassFields',
      'true',
      '--skipLibCheck',
      '--types',
      '',
      '--outDir',
      dir,
      `${name}.ts`,
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  return readFileSync(path.join(dir, `${name}.js`), 'utf8');
}
const rewrite = (code) => rewriteDecoratedClasses(code, parseAst(code), 'fixture');

/** Runs the rewritten module and returns its exports (the stand-in Base records nothing, so plain objects do). */
async function load(code) {
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

describe('lit-static-properties (CDN build)', () => {
  it('should turn decorated accessors into static properties and constructor defaults, keeping field order and other members', async () => {
    const code = compile(`
export class Widget extends Base {
  static styles = 'styles';
  @state() accessor _open: boolean | undefined;
  private _count = 1;
  @property({ attribute: 'poll-ms', type: Number }) accessor pollMs = 2000;
  @property() accessor label = 'hi';
  @property({ attribute: false }) accessor source: object | undefined;
  private _after = 'after';
  get summary() { return this.label + this._count; }
  render() { return this.summary; }
}`);
    assert.match(code, /__esDecorate\(this/, 'the fixture compiles to the lowered form');
    const out = rewrite(code);
    assert.doesNotMatch(out, /__esDecorate|__runInitializers|_accessor_storage/);
    const { Widget } = await load(out);
    assert.deepEqual(Widget.properties, {
      _open: { state: true, attribute: false },
      pollMs: { attribute: 'poll-ms', type: Number },
      label: {},
      source: { attribute: false },
    });
    assert.equal(Widget.styles, 'styles');
    const widget = new Widget();
    assert.equal(widget.pollMs, 2000);
    assert.equal(widget.label, 'hi');
    assert.equal('source' in widget, false, 'no initial value: nothing is assigned');
    assert.equal(widget._count, 1);
    assert.equal(widget._after, 'after');
    assert.equal(widget.render(), 'hi1');
  });

  it('should leave a module without decorators alone', () => {
    const code = compile('export class Plain extends Base { value = 1; }');
    assert.equal(rewrite(code), code);
  });

  it('should fail the build on a decorator it does not know', () => {
    const code = compile('export class Odd extends Base { @other() accessor value = 1; }');
    assert.throws(() => rewrite(code), /unsupported decorator other\(\)/);
  });

  it('should fail the build on a class with its own constructor', () => {
    const code = compile('export class Built extends Base { @property() accessor value = 1; constructor() { super(); } }');
    assert.throws(() => rewrite(code), /own constructor/);
  });

  it('should fail the build when a field initializer reads a reactive property (the defaults move to the constructor)', () => {
    const code = compile('export class Reader extends Base { @property() accessor value = 1; private _double = this.value * 2; }');
    assert.throws(() => rewrite(code), /reads reactive property value/);
  });

  it('should fail the build on a static decorated accessor', () => {
    const code = compile('export class Shared extends Base { @property() static accessor value = 1; }');
    assert.throws(() => rewrite(code), /only (public, non-static|instance)/);
  });
});
