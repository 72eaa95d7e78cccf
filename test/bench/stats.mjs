// Figures shared by bench sections.

/** The p-th percentile (0-100) of `samples`, nearest rank. */
export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Milliseconds each of `runs` calls of `fn` took, after `warmup` untimed calls. */
export async function timeCalls(fn, { runs, warmup }) {
  for (let i = 0; i < warmup; i++) await fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  return ms;
}

export const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
