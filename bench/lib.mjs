// Shared by the benchmarks: one way to measure operations per second.

/** Operations per second of `fn(i)` over one round of at least `minRoundMs`, `batch` calls between clock reads. */
function roundRate(fn, minRoundMs, batch) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minRoundMs) {
    for (let i = 0; i < batch; i++) fn(n++);
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Median operations per second of `fn(i)` over `rounds` rounds of at least `minRoundMs` each, after
 * `warmup` calls for the JIT; `batch` calls run between clock reads.
 */
export function opsPerSecond(fn, { rounds = 7, minRoundMs = 200, warmup = 2000, batch = 500 } = {}) {
  for (let i = 0; i < warmup; i++) fn(i);
  const rates = [];
  for (let round = 0; round < rounds; round++) rates.push(roundRate(fn, minRoundMs, batch));
  return median(rates);
}

/**
 * `ours` against `theirs` in alternating rounds (ours, theirs, ours…), so that the load of a shared
 * machine falls on both alike: the median operations per second of each and the median of the
 * per-round ratios ours/theirs (steadier than the ratio of two medians taken seconds apart).
 */
export function compareOpsPerSecond(ours, theirs, { rounds = 15, minRoundMs = 100, warmup = 2000, batch = 200 } = {}) {
  for (let i = 0; i < warmup; i++) {
    ours(i);
    theirs(i);
  }
  const a = [];
  const b = [];
  const ratios = [];
  for (let round = 0; round < rounds; round++) {
    a.push(roundRate(ours, minRoundMs, batch));
    b.push(roundRate(theirs, minRoundMs, batch));
    ratios.push(a[round] / b[round]);
  }
  return { ours: median(a), theirs: median(b), ratio: median(ratios) };
}
