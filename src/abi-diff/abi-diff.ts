import { UsageError } from '../errors.js';
import type { Finding, Severity } from '../findings.js';
import type { HeaderError, SourcePos } from '../header/header-error.js';
import { compareStructs, type RawChange } from './compare-structs.js';
import { wordSizedMembers } from './pointer-members.js';
import { categoryOf, isAbiDiffRule } from './rules.js';
import type { AbiSnapshot } from './snapshot.js';
import { isSuppressed, type Suppression } from './suppressions.js';

/** The result of diffing one header (or id) between two versions. */
export interface HeaderDiff {
  readonly header: string;
  readonly from: string;
  readonly to: string;
  /** Whether some `*_COMPATIBLE` string or `*_VERSION` macro changed. */
  readonly bumped: boolean;
  /** Findings with `header` set, and `struct`/`field` where they are about one; the category is the rule's. */
  readonly findings: readonly Finding[];
  /** What could not be checked, said once (a BTF side has no macros for the compat rules). */
  readonly notes?: readonly string[];
}

/** What turns findings into info: rule ids (`--allow`) and suppression file entries. */
export interface AbiDiffOptions {
  readonly allow?: readonly string[];
  readonly suppressions?: readonly Suppression[];
}

function macroText(s: AbiSnapshot): string {
  return s.compat.size ? [...s.compat].map(([k, v]) => `${k} ${v}`).join(', ') : 'no *_COMPATIBLE or *_VERSION macro';
}

function located(s: AbiSnapshot, key: string): { file?: string; line?: number; column?: number } {
  const pos: SourcePos | undefined = s.positions.get(key);
  return pos ? { file: pos.file, line: pos.line, column: pos.column } : { file: s.file ?? s.label };
}

/**
 * Diff two versions of a KHO ABI header: LAYOUT and SEMANTIC changes per struct,
 * then COMPAT_NOT_BUMPED when something changed while every compat string and version macro
 * stayed the same. Allowed or suppressed findings become info and are marked, never dropped.
 */
export function abiDiff(old: AbiSnapshot, next: AbiSnapshot, opts: AbiDiffOptions = {}): HeaderDiff {
  for (const rule of opts.allow ?? []) if (!isAbiDiffRule(rule)) throw new UsageError(`--allow ${rule}: not an abi-diff rule`);
  const quiet = (f: { rule: string; struct?: string; field?: string }) =>
    (opts.allow ?? []).includes(f.rule) || isSuppressed(opts.suppressions ?? [], f);
  const noMacros = [old, next].filter((s) => s.btf).map((s) => s.label);
  const bumped = noMacros.length === 0 && macroText(old) !== macroText(next);
  // A BTF holds every *_ser struct of a kernel: against a header or id, compare the header's structs only.
  const scope = (s: AbiSnapshot, other: AbiSnapshot) => (s.btf && !other.btf ? s.structs.filter((x) => other.structs.some((y) => y.name === x.name)) : s.structs);
  const changes = compareStructs(scope(old, next), scope(next, old), { attributes: noMacros.length === 0 });
  const finding = (c: RawChange, severity: Severity, where: object): Finding => {
    const suppressed = quiet(c);
    return {
      rule: c.rule,
      severity: suppressed ? 'info' : severity,
      header: next.header,
      ...(c.struct ? { struct: c.struct } : {}),
      ...(c.field ? { field: c.field } : {}),
      message: c.message,
      ...where,
      ...(suppressed ? { suppressed } : {}),
    };
  };
  const findings = changes.map((c) => {
    const where = located(c.inOld ? old : next, c.field ? `${c.struct}.${c.field}` : c.struct!);
    return finding(c, c.rule === 'VERSION_FIELD_MOVED' ? 'error' : bumped ? 'info' : 'warning', where);
  });
  const firstMacro = [...next.compat.keys()][0];
  const macroWhere = located(next, firstMacro ? `#${firstMacro}` : '');
  if (noMacros.length) {
    const notes = [`${noMacros.join(' and ')}: BTF holds no macros, so the compat rules (COMPAT_NOT_BUMPED, COMPAT_BUMPED_WITHOUT_CHANGE) were not checked; layout changes are reported as found`];
    return { header: next.header, from: old.label, to: next.label, bumped, findings, notes };
  }
  const counted = findings.filter((f) => !f.suppressed && ['LAYOUT', 'SEMANTIC'].includes(categoryOf(f.rule)));
  if (!bumped && counted.length > 0) {
    const structs = [...new Set(counted.map((f) => f.struct))].map((s) => `struct ${s}`).join(', ');
    findings.push(
      finding(
        { rule: 'COMPAT_NOT_BUMPED', message: `${structs} changed (${counted.length} finding${counted.length === 1 ? '' : 's'}) but ${macroText(next)} stayed the same: bump the compat string or the version` },
        'error',
        macroWhere,
      ),
    );
  }
  if (bumped && changes.length === 0) {
    findings.push(
      finding({ rule: 'COMPAT_BUMPED_WITHOUT_CHANGE', message: `${macroText(old)} -> ${macroText(next)}, but no struct changed layout or kernel-doc` }, 'warning', macroWhere),
    );
  }
  for (const side of [old, next]) {
    for (const d of side.layoutDiffers ?? []) {
      const message = `${d.struct}${d.field ? `.${d.field}` : ''}: ${d.message} (${side.label})`;
      findings.push(finding({ rule: 'HEADER_LAYOUT_DIFFERS', struct: d.struct, ...(d.field ? { field: d.field } : {}), message }, 'error', located(side, d.field ? `${d.struct}.${d.field}` : d.struct)));
    }
  }
  for (const s of next.structs) {
    const before = old.structs.find((o) => o.name === s.name);
    const had = new Set(before ? wordSizedMembers(before).map((w) => `${w.path} ${w.field.type}`) : []);
    for (const w of wordSizedMembers(s)) {
      if (had.has(`${w.path} ${w.field.type}`)) continue; // already there: not this change's doing
      const message = `${s.union ? 'union' : 'struct'} ${s.name}.${w.path}: ${w.field.type} is ${w.field.size} bytes here but its size depends on the word size of the kernel that writes it; use a fixed-width type (u64 for a physical address)`;
      findings.push(finding({ rule: 'POINTER_MEMBER', struct: s.name, field: w.path, message }, 'warning', located(next, `${s.name}.${w.path.split('.')[0]}`)));
    }
  }
  return { header: next.header, from: old.label, to: next.label, bumped, findings };
}

/** The report of a header that cannot be read on one side: one HEADER_UNSUPPORTED error where the construct is. */
export function unsupportedDiff(header: string, from: string, to: string, side: string, e: HeaderError, opts: AbiDiffOptions = {}): HeaderDiff {
  const suppressed = (opts.allow ?? []).includes('HEADER_UNSUPPORTED') || isSuppressed(opts.suppressions ?? [], { rule: 'HEADER_UNSUPPORTED' });
  const finding: Finding = {
    rule: 'HEADER_UNSUPPORTED',
    severity: suppressed ? 'info' : 'error',
    header,
    message: `${e.reason} (${side}); ${header} was not diffed`,
    file: e.pos.file,
    line: e.pos.line,
    column: e.pos.column,
    ...(suppressed ? { suppressed } : {}),
  };
  return { header, from, to, bumped: false, findings: [finding] };
}
