import { describe, expect, it } from 'vitest';
import { median, medianRatio, sideBySide } from '../../bench/measure.mjs';
import { check, markdown } from '../../bench/report.mjs';

describe('benchmark checks', () => {
  it('meets, misses, and leaves unjudged what --smoke or a skipped contender measured', () => {
    expect(check('a', 10.2, 10, 'x', false).met).toBe(true);
    expect(check('a', 9.9, 10, 'x', false)).toMatchObject({ met: false, line: 'a: 9.90x (target >= 10x): MISSED' });
    expect(check('b', 1.6, 1.5, 'x', false, 'max').met).toBe(false);
    expect(check('b', 1.4, 1.5, 'x', false, 'max').met).toBe(true);
    expect(check('c', 1, 10, 'x', true)).toMatchObject({ met: null, line: 'c: 1.00x (target >= 10x): not judged (--smoke)' });
    expect(check('d', NaN, 10, 'x', false)).toMatchObject({ met: null, line: 'd: not measured (target >= 10x): NOT MEASURED' });
  });

  it('takes ratios round by round and reports their median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianRatio([10, 40, 90], [1, 2, 3])).toBe(20);
    expect(medianRatio([10, null], [1, 2])).toBeNaN();
    let calls = '';
    const rates = sideBySide({ a: () => ((calls += 'a'), { ops: 2, seconds: 1 }), b: () => ((calls += 'b'), { ops: 1, seconds: 2 }), c: null }, 3);
    expect(calls).toBe('ababab');
    expect(rates).toEqual({ a: [2, 2, 2], b: [0.5, 0.5, 0.5], c: [null, null, null] });
  });

  it('counts the missed targets at the top of BENCHMARKS.md', () => {
    const section = { title: 'T', header: ['x'], rows: [['1']], checks: [check('a', 1, 2, 'x', false), check('b', 3, 2, 'x', false)], notes: [] };
    const text = markdown([section], { cpu: 'cpu', cores: 2, node: 'v20', date: '2026-12-01' }, false);
    expect(text).toContain('Targets: 1 of 2 met, **1 missed**.');
    expect(text).toContain('- a: 1.00x (target >= 2x): MISSED');
  });
});
