import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuleId } from '../errors.js';
import { writeAtomic } from '../io/write-atomic.js';
import type { Finding } from '../findings.js';
import { rules } from '../validate/rules/index.js';
import { renderCorpusHeader, type CorpusEntry } from './c-header.js';
import type { FuzzCase } from './fuzz-case.js';

/** The JSON sidecar beside each corpus file. */
export interface CorpusSidecar {
  readonly abi: string;
  readonly made: string;
  readonly file: string;
  readonly kind: 'blob' | 'elf-core';
  readonly size: number;
  readonly rootAddress?: string;
  readonly pageSize?: number;
  /** Rules the case was made to produce. */
  readonly expect: readonly RuleId[];
  /** Rules kho-abi reports on it (every one, not only the expected). */
  readonly findings: readonly RuleId[];
  /** No error finding: the kernel's reader should accept it. */
  readonly valid: boolean;
  /** How to make it again. */
  readonly seed: number;
}

const ruleOrder = new Map(rules.map((r, i) => [r.id, i]));

/** Keeps the first `perKind` cases of every (id, how made) seen during a run. */
export class CorpusCollector {
  readonly entries: CorpusEntry[] = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly perKind = 2) {}

  /** Offer a case and its findings; kept when its kind has room. */
  add(c: FuzzCase, findings: readonly Finding[]): void {
    const kind = `${c.abi.replace('/', '__')}/${c.made}`;
    const n = this.counts.get(kind) ?? 0;
    if (n >= this.perKind) return;
    this.counts.set(kind, n + 1);
    const found = [...new Set(findings.map((f) => f.rule))].sort((a, b) => ruleOrder.get(a)! - ruleOrder.get(b)!);
    this.entries.push({ name: `${kind}-${n}`, case: c, rules: found, valid: !findings.some((f) => f.severity === 'error') });
  }
}

/** Write every entry (blob `.bin` or image `.core`, plus `.json`) and kho_abi_corpus.h into `dir`; returns the files written. */
export async function writeCorpus(dir: string, entries: readonly CorpusEntry[], seed: number): Promise<string[]> {
  const written: string[] = [];
  const sorted = [...entries].sort((a, b) => a.name.localeCompare(b.name));
  for (const e of sorted) {
    const file = `${e.name}${e.case.image ? '.core' : '.bin'}`;
    await mkdir(join(dir, e.name, '..'), { recursive: true });
    const sidecar: CorpusSidecar = {
      abi: e.case.abi,
      made: e.case.made,
      file,
      kind: e.case.image ? 'elf-core' : 'blob',
      size: e.case.bytes.length,
      ...(e.case.image ? { rootAddress: `0x${e.case.image.rootAddress.toString(16)}`, pageSize: e.case.image.pageSize } : {}),
      expect: e.case.expect,
      findings: e.rules,
      valid: e.valid,
      seed,
    };
    await writeAtomic(join(dir, file), e.case.bytes);
    await writeAtomic(join(dir, `${e.name}.json`), `${JSON.stringify(sidecar, null, 2)}\n`);
    written.push(file, `${e.name}.json`);
  }
  await writeAtomic(join(dir, 'kho_abi_corpus.h'), renderCorpusHeader(sorted, seed));
  written.push('kho_abi_corpus.h');
  return written;
}
