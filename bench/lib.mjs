// Shared by the benchmarks: one way to measure operations per second.

/**
 * Median operations per second of `fn(i)` over `rounds` rounds of at least `minRoundMs` each, after
 * `warmup` calls for the JIT; `batch` calls run between clock reads.
 */
export function opsPerSecond(fn, { rounds = 7, minRoundMs = 200, warmup = 2000, batch = 500 } = {}) {
  for (let i = 0; i < warmup; i++) fn(i);
  const rates = [];
  for (let round = 0; round < rounds; round++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < minRoundMs) {
      for (let i = 0; i < batch; i++) fn(n++);
      elapsed = performance.now() - start;
    }
    rates.push((n / elapsed) * 1000);
  }
  return rates.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}
