import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { platform, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { machineTicks, processes, processStat } from './proc.mjs';

describe('scripts/proc.mjs: the process table', { skip: platform() !== 'linux' && 'no /proc here' }, () => {
  it('should read this process: its parent, and CPU time as it grows', () => {
    const before = processStat(process.pid);
    // (Its name is the main thread's: `node`, or `MainThread` from Node 24 on.)
    assert.equal(before.ppid, process.ppid);
    const end = process.cpuUsage().user + 150_000;
    while (process.cpuUsage().user < end) {}
    assert.ok(processStat(process.pid).ticks >= before.ticks + 5, 'at least 50 ms more');
    assert.ok(processes().some((stat) => stat.pid === process.pid));
  });

  it("should count a waited-for child's CPU time as the parent's childTicks", () => {
    const parent = spawnSync(
      process.execPath,
      [
        '-e',
        // The child spins until it has had 300 ms of CPU: a wall-clock 300 ms gets less on a busy host.
        "require('node:child_process').spawnSync(process.execPath, ['-e', 'while (process.cpuUsage().user < 300000) {}']); console.log(JSON.stringify(require(process.argv[1]).processStat(process.pid)))",
        new URL('./proc.mjs', import.meta.url).pathname,
      ],
      { encoding: 'utf8' },
    );
    const stat = JSON.parse(parent.stdout);
    assert.ok(stat.childTicks >= 28, `the child's 300 ms of CPU: ${stat.childTicks} ticks`);
  });

  it('should read a command name that holds spaces and parentheses, and tell a process that is gone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proc-'));
    try {
      const odd = path.join(dir, 'a) b (c');
      copyFileSync('/bin/sleep', odd);
      chmodSync(odd, 0o755);
      const child = spawn(odd, ['30']);
      await new Promise((resolve) => child.once('spawn', resolve));
      const stat = processStat(child.pid);
      assert.deepEqual({ comm: stat.comm, ppid: stat.ppid }, { comm: 'a) b (c', ppid: process.pid });
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(processStat(child.pid), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("should read the machine's busy and total time", () => {
    const { busy, total } = machineTicks();
    assert.ok(busy > 0 && total > busy);
  });
});
