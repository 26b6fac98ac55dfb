// Linux's process table (/proc), read one way for the test runner, the fault tests and the benches.
// Where there is no /proc (not Linux), there are no processes and no ticks: callers treat that as
// "cannot tell", never as an error.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * One process from `/proc/<pid>/stat`, or undefined once it is gone: its command name, parent, and
 * CPU time in clock ticks (10 ms) — its own (`ticks`: utime + stime) and its waited-for children's
 * (`childTicks`: cutime + cstime). The line is "pid (comm) state ppid …" and comm may hold spaces
 * or parentheses, so the fields are read after the last ')'.
 */
export function processStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid: Number(pid),
      comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      childTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/** Every process on the machine ({@link processStat}); none where there is no /proc. */
export function processes() {
  let entries;
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return entries.map(processStat).filter((stat) => stat !== undefined);
}

/** The whole machine's busy and total jiffies (/proc/stat); zeros where there is no /proc. */
export function machineTicks() {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    return { busy: total - values[3] - values[4], total };
  } catch {
    return { busy: 0, total: 0 };
  }
}
