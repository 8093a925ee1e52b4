/** A measured contender: operations done in seconds. */
export interface Measured {
  readonly ops: number;
  readonly seconds: number;
}

/** The median of numbers (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number;
/** Measure contenders in turn, round after round; ops/s of each round by name (null when skipped). */
export function sideBySide<K extends string>(contenders: Record<K, (() => Measured) | null>, rounds: number): Record<K, Array<number | null>>;
/** Median of the round-by-round ratios a[i] / b[i]; NaN when either was skipped. */
export function medianRatio(a: ReadonlyArray<number | null>, b: ReadonlyArray<number | null>): number;

/** bench/c-reference.c compiled with gcc -O2 into a temp dir: the executable, or null and why. */
export function compileCReference(source: string): { readonly dir: string; readonly exe: string | null; readonly error: string | null };
