import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileWasmWithoutLiftoff } from '../src/lean-wasm.js';

describe("the CLI's WASM compile setting for PGlite", () => {
  it("should keep an operator's own Liftoff choice, in NODE_OPTIONS or on the command line", () => {
    assert.equal(compileWasmWithoutLiftoff({ NODE_OPTIONS: '--liftoff' }, []), false);
    assert.equal(compileWasmWithoutLiftoff({ NODE_OPTIONS: '--max-old-space-size=512 --no-liftoff' }, []), false);
    assert.equal(compileWasmWithoutLiftoff({}, ['--liftoff']), false);
  });

  it('should set --no-liftoff otherwise, in a process that then starts PGlite and answers queries', () => {
    const leanWasm = fileURLToPath(new URL('../src/lean-wasm.ts', import.meta.url));
    const code = `const { compileWasmWithoutLiftoff } = await import(${JSON.stringify(leanWasm)});
      const set = compileWasmWithoutLiftoff({}, []);
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create('memory://');
      const { rows } = await db.query('SELECT 40 + 2 AS answer');
      await db.close();
      console.log(JSON.stringify({ set, answer: rows[0].answer }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 120_000 });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { set: true, answer: 42 });
  });
});
