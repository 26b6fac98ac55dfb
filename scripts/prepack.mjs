// `prepack` of every workspace package (`npm pack` / `npm publish` run it in the package's folder):
// builds that package — tsc for it and what it references, its CDN files, the custom-elements
// manifests — then refuses to pack when a file its package.json points at (main, types, exports,
// unpkg/jsdelivr, customElements, bin) is missing. So no tarball ships fields that point at nothing.
// The build's output goes to stderr: `npm pack --json` prints its JSON on stdout.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const packageDir = process.cwd();
const folder = path.relative(path.join(root, 'packages'), packageDir);
if (folder.startsWith('..') || folder.includes(path.sep)) throw new Error(`prepack: run it from a package folder (packages/<name>), not ${packageDir}`);

/** Newest modification time of the JavaScript under `dir` (CDN folders left out), 0 if there is none. */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js') && !path.relative(dir, entry.parentPath).split(path.sep).includes('cdn'))
    .reduce((time, entry) => Math.max(time, statSync(path.join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/**
 * The CDN files are newer than everything Rollup bundles them from (every package's tsc output — tsc -b
 * leaves up-to-date files alone — the lock, the Rollup config): then `npm pack` right after a build
 * does not bundle again. Anything newer, or a file missing, and Rollup runs.
 */
function cdnUpToDate(files) {
  if (!files.every((file) => existsSync(file))) return false;
  const inputs = Math.max(
    ...readdirSync(path.join(root, 'packages')).map((name) => newest(path.join(root, 'packages', name, 'dist'))),
    ...['package-lock.json', 'rollup.config.mjs', 'tsconfig.base.json'].map((file) =>
      existsSync(path.join(root, file)) ? statSync(path.join(root, file)).mtimeMs : 0,
    ),
  );
  return Math.min(...files.map((file) => statSync(file).mtimeMs)) > inputs;
}

const run = (command, args, env = {}) => execFileSync(command, args, { cwd: root, stdio: ['ignore', 2, 2], env: { ...process.env, ...env } });
run('npx', ['tsc', '-b', `packages/${folder}`]);
// The config empties the CDN folders it is about to build as it loads: with the variable set, only this
// package's, which Rollup rebuilds at once.
process.env.MOTCUA_CDN_PACKAGE = folder;
const { CDN_BUILDS } = await import('../rollup.config.mjs');
const cdnFiles = CDN_BUILDS.filter(([, file]) => file.startsWith(`packages/${folder}/`)).map(([, file]) => path.join(root, file));
if (cdnFiles.length && !cdnUpToDate(cdnFiles)) run('npx', ['rollup', '-c', '--silent']);
const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
if (pkg.customElements) run(process.execPath, ['scripts/manifest.mjs', '--dist-only']);

/** Every file a package.json field points at (patterns with `*` are checked by their folder). */
export function pointedFiles(pkg) {
  const targets = [pkg.main, pkg.types, pkg.unpkg, pkg.jsdelivr, pkg.customElements, ...Object.values(pkg.bin ?? {})];
  const visit = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(pkg.exports);
  return [...new Set(targets.filter(Boolean).map((target) => (target.includes('*') ? path.dirname(target) : target)))];
}

const missing = pointedFiles(pkg).filter((file) => !existsSync(path.join(packageDir, file)));
if (missing.length) {
  console.error(`prepack: ${pkg.name} points at files the build did not make: ${missing.join(', ')}`);
  process.exit(1);
}
