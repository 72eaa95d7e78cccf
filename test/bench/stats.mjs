// Figures shared by bench sections.

/** The p-th percentile (0-100) of `samples`, nearest rank. */
export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A sampler that times one call of `fn`, in milliseconds. */
export const timed = (fn) => async () => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

/**
 * `runs` samples of each named sampler, taken in turn (a, b, c, a, b, c, ...) after `warmup`
 * untimed rounds, so a busy moment on the machine weighs on all of them alike.
 */
export async function roundRobin(samplers, { runs, warmup }) {
  const samples = Object.fromEntries(Object.keys(samplers).map((name) => [name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const [name, sample] of Object.entries(samplers)) {
      const ms = await sample();
      if (round >= warmup) samples[name].push(ms);
    }
  }
  return samples;
}

export const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
