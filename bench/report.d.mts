/** One target check of a suite. */
export interface Check {
  readonly what: string;
  readonly value: number;
  readonly target: number;
  /** null: not measured, or a --smoke run. */
  readonly met: boolean | null;
  readonly line: string;
}

/** A suite's part of the report. */
export interface Section {
  readonly title: string;
  readonly about?: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly checks: readonly Check[];
  readonly notes: readonly string[];
}

/** A rate for a table cell: whole numbers from 100 up, one decimal below. */
export function rate(x: number, digits?: number): string;
/** One target check: `value` against `target` (at least it, or at most it when kind is 'max'). */
export function check(what: string, value: number, target: number, unit: string, smoke: boolean, kind?: 'min' | 'max'): Check;
/** The whole of BENCHMARKS.md. */
export function markdown(sections: readonly Section[], m: { cpu: string; cores: number; node: string; date: string; load?: number }, smoke: boolean): string;
