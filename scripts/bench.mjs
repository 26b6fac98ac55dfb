// `npm run bench [-- name ...]`: builds, then runs bench/<name>/run.mjs for each benchmark (all by default).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const all = readdirSync('bench', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`bench/${d.name}/run.mjs`))
  .map((d) => d.name);
const names = process.argv.slice(2).length ? process.argv.slice(2) : all;
execFileSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
execFileSync('npx', ['rollup', '-c', '--silent'], { stdio: 'inherit' });
for (const name of names) {
  if (!all.includes(name)) throw new Error(`No benchmark bench/${name}/run.mjs (have: ${all.join(', ')})`);
  console.log(`\n=== bench/${name} ===`);
  execFileSync(process.execPath, [`bench/${name}/run.mjs`], { stdio: 'inherit' });
}
