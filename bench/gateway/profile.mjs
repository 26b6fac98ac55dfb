// Where the gateway's CPU time goes: the top self-time functions of a V8 CPU profile, and the same
// time grouped by where the code lives (PGlite's WASM PostgreSQL, pg, Fastify, the gateway, node).
//   BENCH_GATEWAY_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" BENCH_ONLY=notifications node bench/gateway/run.mjs
//   node bench/gateway/profile.mjs /tmp/prof/<file>.cpuprofile [top=25]
import { readFileSync } from 'node:fs';

const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/gateway/profile.mjs <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map(); // node id → µs
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (deltas[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = ({ url, functionName }) => {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('wasm://')) return 'PGlite (WASM PostgreSQL)';
  if (url.includes('/@electric-sql/pglite/')) return 'PGlite (JS)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (module)
    return module.startsWith('pg')
      ? 'pg (driver)'
      : module.includes('fastify') || module.startsWith('find-my-way') || module.startsWith('light-my-request')
        ? 'fastify'
        : module;
  if (url.includes('/packages/gateway/')) return 'gateway';
  if (url.includes('/packages/core/')) return '@motcua/core';
  if (url.startsWith('node:')) return 'node';
  return url;
};

const functions = new Map();
const groups = new Map();
for (const [id, us] of self) {
  const { callFrame } = byId.get(id);
  const key = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/^.*\/(node_modules|packages)\//, '')}:${callFrame.lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
  const group = where(callFrame);
  groups.set(group, (groups.get(group) ?? 0) + us);
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
console.log('\nby where the code lives (self time):');
for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${pct(us)}  ${group}`);
console.log(`\ntop ${top} functions (self time):`);
for (const [key, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`  ${pct(us)}  ${key}`);
