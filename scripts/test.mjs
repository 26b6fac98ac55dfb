// `npm test`: type-check and build, then every test — Node (node:test), browser (Web Test Runner in
// the system Chromium) and end to end (playwright-core) — and one closing "N passed, N failed" line.
// Usage: node scripts/test.mjs [node|browser|e2e ...] [--no-build] [--also-node=PATH]   (default: all stages, after a build)
//   --no-build: test what the last build left.
//   --also-node=PATH: the Node stage once more on that Node binary (CI: Node 24 LTS), after the browser
//     stage and alongside the e2e stage; its output is printed as a whole when it ends, and its counts join the total.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALL_HINT, findChrome } from './chrome.mjs';
import { findPostgres } from './postgres.mjs';
import { processes } from './proc.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const NODE_PACKAGES = ['core', 'gateway'];
const alsoNode = process.argv.find((arg) => arg.startsWith('--also-node='))?.slice('--also-node='.length);
const args = process.argv.slice(2).filter((arg) => arg !== '--no-build' && !arg.startsWith('--also-node='));
const stages = args.length ? args : ['node', 'browser', 'e2e'];
const totals = { passed: 0, failed: 0, skipped: 0 };
/** What each stage said about its failed tests, printed again beside the closing line: a CI log that
 * keeps only its tail still names them. */
const failures = [];
/** The number of tests each Node stage ran (`ℹ tests N`). */
const nodeStageTests = [];
/**
 * Node test files run side by side: each one's gateways listen on port 0 with a database of their own
 * (PGlite `memory://`, a throwaway PostgreSQL database, a cluster of its own in faults.test.ts) and write
 * only to mkdtemp folders or pid-named files, so no file sees another's state. Most of a file's time is
 * waiting (PGlite start-up, token expiries, child processes), which node:test's default on 2 cores
 * (availableParallelism() - 1 = one file at a time) leaves unused.
 */
const NODE_CONCURRENCY = Math.max(2, availableParallelism() * 2);
/**
 * A test that hangs fails by name. Tests inherit it from the runner, and so may a whole file (the
 * slowest file takes ~110 s on the loaded 2-core CI machine): 10 minutes leaves room for a slower one.
 */
const TEST_TIMEOUT = '--test-timeout=600000';
/** A Node or e2e stage takes 4–7 minutes on the 2-core CI machine; 25 means something hangs. */
const STAGE_DEADLINE_MS = 25 * 60_000;
const startedAt = Date.now();
const seconds = (from) => `${Math.round((Date.now() - from) / 1000)} s`;

function listTests(dir, predicate) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'node_modules' ? [] : listTests(full, predicate);
    return predicate(full) ? [path.relative(root, full)] : [];
  });
}

/** Process groups of the test stages under way: ended with this script (Ctrl-C included). */
const groups = new Set();
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    for (const pid of groups) killGroup(pid);
    process.exit(130);
  });
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
}

/** The test files still running under a stage's `node --test` (its children's last argument). */
function runningFiles(parent) {
  const files = [];
  for (const { pid } of processes().filter((stat) => stat.ppid === parent)) {
    try {
      files.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).pop());
    } catch {}
  }
  return files;
}

/**
 * Runs a command; its output is echoed as it comes unless `quiet` (then only returned). With
 * `deadlineMs`, a stage that has not ended by then is killed (its whole process group) and fails,
 * naming the test files still running: a file that keeps a server or a browser open after its tests
 * would otherwise hold the run for ever. (Not `--test-force-exit`: with files run side by side, it
 * exits a file's process before its last results reach the runner, which then counts fewer tests
 * and still passes: nodejs/node#64833.)
 */
function run(command, args, env = {}, { quiet = false, deadlineMs } = {}) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: Boolean(deadlineMs) });
    let timer;
    if (deadlineMs) {
      groups.add(child.pid);
      timer = setTimeout(() => {
        const files = runningFiles(child.pid);
        const message = `\n✖ failing tests:\n\n✖ did not end within ${deadlineMs / 60_000} min; still running: ${files.join(', ') || '(none listed)'}\n`;
        output += message;
        if (!quiet) process.stdout.write(message);
        killGroup(child.pid);
      }, deadlineMs);
    }
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (!quiet) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      groups.delete(child.pid);
      resolve({ code: code ?? 1, output });
    });
  });
}

function count(output, pattern) {
  return [...output.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/** node:test's spec reporter repeats each failed test, with its error, after "✖ failing tests:". */
function nodeFailures(stage, output) {
  const at = output.indexOf('✖ failing tests:');
  if (at < 0) return;
  const lines = output
    .slice(at)
    .split('\n')
    .filter((line) => !line.startsWith('ℹ '));
  failures.push({ stage, lines: lines.slice(0, 80) });
}

/** Web Test Runner marks a failed test with ❌ and prints its error below it. */
function browserFailures(output) {
  const lines = output.split('\n');
  const picked = [];
  lines.forEach((line, i) => {
    if (line.includes('❌')) picked.push(...lines.slice(Math.max(0, i - 1), i + 12), '');
  });
  if (picked.length) failures.push({ stage: 'browser', lines: picked.slice(0, 120) });
}

function addNodeCounts(output) {
  totals.passed += count(output, /^ℹ pass (\d+)$/gm);
  totals.failed += count(output, /^ℹ fail (\d+)$/gm);
  totals.skipped += count(output, /^ℹ (?:skipped|todo) (\d+)$/gm);
}

let failedStage = false;
const header = (text) => console.log(`\n=== ${text} === (at ${seconds(startedAt)})`);

const needsBrowser = stages.some((s) => s === 'browser' || s === 'e2e');
const chrome = findChrome();
if (needsBrowser && !chrome) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
if (chrome) process.env.CHROME_PATH = chrome;

if (!process.argv.includes('--no-build')) {
  header('type-check and build (tsc -b, rollup)');
  if ((await run('npx', ['tsc', '-b'])).code !== 0) process.exit(1);
  if ((await run('npx', ['rollup', '-c', '--silent'])).code !== 0) process.exit(1);
  // custom-elements.json and VS Code custom data for each widget package (scripts/manifest.mjs).
  if ((await run(process.execPath, ['scripts/manifest.mjs', '--dist-only'])).code !== 0) process.exit(1);
}

const postgres = await findPostgres();
const pgEnv = postgres ? { MOTCUA_TEST_PG_URL: postgres } : {};
if (postgres) console.log(`PostgreSQL for tests: ${postgres}`);
else
  console.log(
    '\n*** skipped: no PostgreSQL — tests against a real PostgreSQL server will be skipped. ***\n*** Start one on 127.0.0.1:5432 (trust auth) or set MOTCUA_TEST_PG_URL to run them.    ***\n',
  );

function nodeTestFiles() {
  return [
    ...NODE_PACKAGES.flatMap((name) => listTests(path.join(root, 'packages', name, 'test'), (f) => f.endsWith('.test.ts'))),
    ...listTests(path.join(root, 'packages'), (f) => f.endsWith('.node.test.ts') && !NODE_PACKAGES.some((n) => f.includes(`/packages/${n}/`))),
    // The build's own tools (the CDN build's decorator rewrite).
    ...readdirSync(path.join(root, 'scripts'))
      .filter((f) => f.endsWith('.test.mjs'))
      .map((f) => path.join('scripts', f)),
  ];
}

/** The Node stage on `node` (this process's binary by default); resolves once its counts are added. */
async function nodeStage(node = process.execPath, quiet = false) {
  const files = nodeTestFiles();
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${NODE_CONCURRENCY}`, TEST_TIMEOUT, '--test-reporter=spec', ...files];
  const from = Date.now();
  if (!quiet) header(`Node tests (${files.length} files, ${NODE_CONCURRENCY} at a time)`);
  // What the tests spawn by name (`node`, `npx`) is that Node too.
  const env = node === process.execPath ? pgEnv : { ...pgEnv, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` };
  const result = await run(node, args, env, { quiet, deadlineMs: STAGE_DEADLINE_MS });
  if (quiet) {
    header(`Node tests on ${node} (${files.length} files, ${NODE_CONCURRENCY} at a time, ran alongside the e2e stage)`);
    process.stdout.write(result.output);
  }
  console.log(`Node tests${quiet ? ` on ${node}` : ''}: ${seconds(from)}`);
  addNodeCounts(result.output);
  nodeStageTests.push({ node: node === process.execPath ? process.version : node, tests: count(result.output, /^ℹ tests (\d+)$/gm) });
  nodeFailures(`Node tests on ${node === process.execPath ? process.version : node}`, result.output);
  if (result.code !== 0) failedStage = true;
}

if (stages.includes('node')) await nodeStage();

if (stages.includes('browser')) {
  const from = Date.now();
  header('Browser tests (Web Test Runner, Chromium)');
  const result = await run('npx', ['web-test-runner', '--config', 'web-test-runner.config.mjs']);
  // WTR prints e.g. "Chromium: |████| 5/5 test files | 40 passed, 0 failed, 1 skipped".
  const last = [...result.output.matchAll(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)].pop();
  if (last) {
    totals.passed += Number(last[1]);
    totals.failed += Number(last[2]);
    totals.skipped += Number(last[3] ?? 0);
  }
  browserFailures(result.output);
  if (result.code !== 0) failedStage = true;
  console.log(`Browser tests: ${seconds(from)}`);
}

// The second Node run mostly waits (timers, PGlite start-up), so it shares the machine with the e2e
// stage rather than adding its whole time after it; not with the browser stage, whose waits in a
// background tab are the most sensitive to a starved machine (its CI failures came while both ran).
const alsoNodeStage = alsoNode && stages.includes('node') ? nodeStage(alsoNode, true) : undefined;

if (stages.includes('e2e')) {
  const files = ['e2e', 'interop'].flatMap((dir) => listTests(path.join(root, dir), (f) => f.endsWith('.test.ts')));
  if (files.length) {
    const from = Date.now();
    header(`End-to-end tests (${files.length} files, playwright-core + Chromium)`);
    const result = await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', TEST_TIMEOUT, '--test-reporter=spec', ...files], pgEnv, {
      deadlineMs: STAGE_DEADLINE_MS,
    });
    addNodeCounts(result.output);
    nodeFailures('End-to-end tests', result.output);
    if (result.code !== 0) failedStage = true;
    console.log(`End-to-end tests: ${seconds(from)}`);
  }
}

await alsoNodeStage;
// The same files on two Node versions define the same tests: a run that counted fewer lost some results.
if (new Set(nodeStageTests.map((stage) => stage.tests)).size > 1) {
  failedStage = true;
  failures.push({
    stage: 'Node tests',
    lines: [`the Node stages counted different numbers of tests: ${nodeStageTests.map((s) => `${s.tests} on ${s.node}`).join(', ')}`],
  });
}

console.log('');
for (const { stage, lines } of failures) console.log(`--- failed in ${stage} ---\n${lines.join('\n')}\n`);
if (!postgres) console.log('skipped: no PostgreSQL (the PostgreSQL variants of the gateway tests did not run)');
console.log(`all stages: ${seconds(startedAt)}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStage || totals.failed > 0 ? 1 : 0);
