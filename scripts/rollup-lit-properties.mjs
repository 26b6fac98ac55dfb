// Rollup plugin for the CDN builds: turns the code tsc emits for Lit's standard decorators
// (`@property() accessor x = 1`, `@state() accessor _y`) back into Lit's own undecorated form,
// `static properties = { x: {...}, _y: { state: true } }` plus `this.x = 1` in the constructor.
//
// Why: TypeScript lowers each decorated accessor (target ES2022; decorators are not in any ES
// edition yet) into a descriptor object with `has`/`get`/`set` closures, two initializer arrays, a
// private storage field and a getter/setter pair, plus the `__esDecorate`/`__runInitializers`
// helpers in every file. For the 46 reactive properties of the three elements that is ~3 KB gzip of
// the all-in-one file. `static properties` is the form Lit documents for plain JavaScript and gives
// the same element: the same attributes, converters, reflection and change detection (this is what
// `@lit/ts-transformers`' "idiomatic decorators" transform does, for TypeScript's legacy decorators).
//
// The sources keep the decorators (CONTRIBUTING.md, decision 2); tsc's npm output is untouched. The rewrite is strict:
// a decorated member it does not recognise, a decorator other than Lit's `property`/`state`, a class
// with its own constructor or a field initializer that reads a reactive property fails the build
// rather than producing something subtly different.

const DECORATORS = new Set(['property', 'state']);

/** @returns {import('rollup').Plugin} */
export function litStaticProperties() {
  return {
    name: 'lit-static-properties',
    transform(code, id) {
      if (!code.includes('__esDecorate(')) return null;
      const result = rewriteDecoratedClasses(code, this.parse(code), id);
      return result === code ? null : { code: result, map: null };
    },
  };
}

/**
 * Rewrites every tsc-lowered decorated class in `code` (its ESTree `ast`). Exported for the unit test.
 * @param {string} code
 * @param {any} ast
 * @param {string} [id] the module, for error messages
 */
export function rewriteDecoratedClasses(code, ast, id = 'module') {
  const edits = [];
  for (const statement of ast.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      const iife = declarator.init;
      if (iife?.type !== 'CallExpression' || iife.callee.type !== 'ArrowFunctionExpression' || iife.arguments.length) continue;
      const body = iife.callee.body.body;
      const returned = body?.at(-1);
      if (returned?.type !== 'ReturnStatement' || returned.argument?.type !== 'ClassExpression') continue;
      edits.push({ start: iife.start, end: iife.end, text: rewriteClass(code, body, returned.argument, id) });
    }
  }
  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  if (edits.length) out = dropUnusedHelpers(out);
  if (/__esDecorate\(this/.test(out)) throw new Error(`${id}: decorated code the lit-static-properties rewrite does not recognise is left`);
  return out;
}

const src = (code, node) => code.slice(node.start, node.end);
const isRunInitializers = (node) => node?.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === '__runInitializers';

/** `let X = (() => { let _classSuper = Base; let _x_decorators; …; return class X extends _classSuper { … } })()`. */
function rewriteClass(code, iifeBody, klass, id) {
  const fail = (message) => {
    throw new Error(`${id}: class ${klass.id?.name ?? '(anonymous)'}: ${message}`);
  };
  let superClass;
  for (const statement of iifeBody.slice(0, -1)) {
    if (statement.type !== 'VariableDeclaration' || statement.declarations.length !== 1) fail(`unexpected statement before the class: ${src(code, statement)}`);
    const [declarator] = statement.declarations;
    if (declarator.id.name === '_classSuper') superClass = src(code, declarator.init);
    else if (!/^_.*_(decorators|initializers|extraInitializers)$/.test(declarator.id.name)) fail(`unexpected variable ${declarator.id.name}`);
  }
  if (!superClass || klass.superClass?.name !== '_classSuper') fail('no `_classSuper`');

  /** name → { options: source text of the decorator's options, init: source text of the initial value } */
  const reactive = new Map();
  const members = [];
  for (const member of klass.body.body) {
    if (member.type === 'StaticBlock') {
      readStaticBlock(code, member, reactive, fail);
      continue;
    }
    if (member.type === 'MethodDefinition' && member.kind === 'constructor') fail('has its own constructor (not supported: add the defaults there by hand)');
    members.push(member);
  }
  if (!reactive.size) fail('no decorated accessor found');

  const kept = [];
  for (const member of members) {
    // The storage of a decorated accessor: `#x_accessor_storage = (…extraInitializers…, __runInitializers(this, _x_initializers, INIT))`.
    if (member.type === 'PropertyDefinition' && member.key.type === 'PrivateIdentifier' && member.key.name.endsWith('_accessor_storage')) {
      const name = member.key.name.slice(0, -'_accessor_storage'.length);
      const entry = reactive.get(name) ?? fail(`storage for ${name} without a decorator`);
      const calls = member.value?.type === 'SequenceExpression' ? member.value.expressions : [member.value];
      const init = calls.at(-1);
      if (!isRunInitializers(init) || init.arguments.length !== 3) fail(`unexpected initializer of ${name}`);
      entry.init = src(code, init.arguments[2]);
      continue;
    }
    // Its getter and setter.
    if (member.type === 'MethodDefinition' && (member.kind === 'get' || member.kind === 'set') && reactive.has(member.key.name)) {
      const body = src(code, member.value.body);
      if (!body.includes(`#${member.key.name}_accessor_storage`)) fail(`${member.kind}ter of ${member.key.name} is not the accessor's`);
      continue;
    }
    // Another field whose initializer tsc prefixed with the previous accessor's extra initializers.
    if (member.type === 'PropertyDefinition' && member.value) {
      const value = member.value;
      const parts = value.type === 'SequenceExpression' ? value.expressions : [value];
      const rest = parts.filter((part) => !isRunInitializers(part));
      const text = src(code, member);
      const keyText = code.slice(member.start, member.computed ? code.indexOf('=', member.key.end) : member.key.end);
      const newText = rest.length === parts.length ? text : rest.length ? `${keyText} = ${rest.map((part) => src(code, part)).join(', ')};` : `${keyText};`;
      for (const name of reactive.keys()) {
        if (new RegExp(`\\bthis\\.${name.replace(/\$/g, '\\$')}\\b`).test(newText))
          fail(`field ${keyText.trim()} reads reactive property ${name} while initialising`);
      }
      kept.push(newText);
      continue;
    }
    kept.push(src(code, member));
  }
  for (const [name, entry] of reactive) if (entry.init === undefined) fail(`no storage field for ${name}`);

  const properties = [...reactive].map(([name, { options }]) => `${JSON.stringify(name)}: ${options}`).join(', ');
  const defaults = [...reactive]
    .filter(([, { init }]) => init !== 'void 0')
    .map(([name, { init }]) => `this[${JSON.stringify(name)}] = ${init};`)
    .join(' ');
  const name = klass.id ? ` ${klass.id.name}` : '';
  return `class${name} extends ${superClass} {
  static properties = { ${properties} };
  ${kept.join('\n  ')}
  constructor(...args) { super(...args); ${defaults} }
}`;
}

/** `static { const _metadata = …; _x_decorators = [property({...})]; __esDecorate(…); … }` */
function readStaticBlock(code, block, reactive, fail) {
  const decoratorsOf = new Map();
  for (const statement of block.body) {
    if (statement.type === 'VariableDeclaration' && statement.declarations[0]?.id.name === '_metadata') continue;
    if (statement.type === 'IfStatement' && statement.test.name === '_metadata') continue;
    const expression = statement.type === 'ExpressionStatement' ? statement.expression : undefined;
    if (expression?.type === 'AssignmentExpression' && /_decorators$/.test(expression.left.name)) {
      const list = expression.right;
      if (list.type !== 'ArrayExpression' || list.elements.length !== 1) fail(`${expression.left.name}: one decorator per member is supported`);
      const [call] = list.elements;
      if (call.type !== 'CallExpression' || !DECORATORS.has(call.callee.name) || call.arguments.length > 1) fail(`unsupported decorator ${src(code, call)}`);
      const options = call.arguments[0] ? src(code, call.arguments[0]) : '{}';
      decoratorsOf.set(expression.left.name, call.callee.name === 'state' ? mergeState(options) : options);
      continue;
    }
    if (expression?.type === 'CallExpression' && expression.callee.name === '__esDecorate') {
      const [target, descriptor, decorators, context] = expression.arguments;
      if (target.type !== 'ThisExpression' || descriptor.type !== 'Literal' || descriptor.value !== null) fail('only instance accessors are supported');
      const prop = (key) => context.properties.find((p) => p.key.name === key)?.value;
      if (prop('kind')?.value !== 'accessor' || prop('static')?.value !== false || prop('private')?.value !== false) {
        fail(`only public, non-static \`accessor\` members are supported (${src(code, context).slice(0, 80)}…)`);
      }
      const name = prop('name').value;
      const options = decoratorsOf.get(decorators.name) ?? fail(`no decorator list ${decorators.name}`);
      reactive.set(name, { options, init: undefined });
      continue;
    }
    fail(`unexpected statement in the static block: ${src(code, statement).slice(0, 80)}`);
  }
}

/** `@state(opts)` is `@property({...opts, state: true, attribute: false})` in Lit. */
function mergeState(options) {
  return options === '{}' ? '{ state: true, attribute: false }' : `{ ...${options}, state: true, attribute: false }`;
}

/** tsc's helpers are emitted at the top of each file that needs them; drop them once unused. */
function dropUnusedHelpers(code) {
  let out = code;
  for (const helper of ['__esDecorate', '__runInitializers']) {
    const uses = out.split(`${helper}(`).length - 1;
    if (uses) continue;
    out = out.replace(new RegExp(`^var ${helper} = \\(this && this\\.${helper}\\) \\|\\| function[\\s\\S]*?\\n};\\n`, 'm'), '');
  }
  return out;
}
