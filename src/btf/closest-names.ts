/** Edit distance between two names (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Up to `n` names closest to `wanted`: names containing it first, then by edit distance. */
export function closestNames(wanted: string, names: Iterable<string>, n = 5): string[] {
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of names) {
    if (Math.abs(name.length - wanted.length) > Math.max(8, wanted.length)) {
      if (!name.includes(wanted)) continue;
    }
    const score = name.includes(wanted) || wanted.includes(name) ? Math.abs(name.length - wanted.length) / 100 : distance(wanted, name);
    scored.push({ name, score });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, n)
    .map((s) => s.name);
}
