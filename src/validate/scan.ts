import { POSITION_MASK } from '../codec/column-source.js';
import type { FieldLayout } from '../layout/engine.js';
import { readIntSource } from '../layout/field-io.js';
import type { PciAbi } from '../registry.js';
import { DomainBitsets } from './duplicates.js';
import type { EntryFacts, Rule } from './rule.js';
import { rulesFor } from './rules-for.js';

/** Blobs with fewer slots give the scan conditions no bitsets: they compare neighbours and sort on demand. */
const SMALL = 4096;

/** Blobs up to this many bytes are scanned with positions masked by POSITION_MASK (which then changes nothing). */
const MASKED_BYTES = POSITION_MASK + 1;

type Count = (bytes: Uint8Array, nr: number | bigint, slots: number) => EntryFacts;

/** A layout's compiled scan: the rules it counts for (in the order of its counts), its source, and the count itself. */
export interface EntryScan {
  readonly rules: readonly Rule[];
  /** The loop as compiled for blobs up to 1 GiB: each entry's position masked, so V8 drops the overflow check of every byte read. */
  readonly source: string;
  /** Count, in one pass over the slots, what every scanning rule asks for. */
  readonly count: Count;
  /** The same loop without the mask, which `count` runs on larger blobs. */
  readonly countLarge: Count;
}

/** What a compiled scan counted: `inUse`, and each scanning rule's count as an own property named by its id (set by the class compiled per layout). */
class Counts implements EntryFacts {
  declare readonly inUse: number;

  counted(rule: Rule): number | undefined {
    return rule.scan ? (this as unknown as Partial<Record<string, number>>)[rule.id] : undefined;
  }
}

/** The class of one layout's facts: `new Facts(inUse, <one count per scanning rule>)`, each count a property named by its rule's id. */
function factsClassSource(rules: readonly Rule[]): string {
  const names = ['inUse', ...rules.map((r) => r.id)];
  return `class Facts extends Counts { constructor(${names.join(', ')}) { super(); ${names.map((n) => `this.${n} = ${n};`).join(' ')} } }`;
}

/**
 * Compile the scan of a layout's entries: inline ones in the blob, or for a block layout
 * the chain's entries (copied back to back from offset 0).
 */
export function compileScan(abi: PciAbi): EntryScan {
  const chained = abi.storage === 'block-chain';
  const rules = rulesFor(abi).filter((r) => r.scan);
  const source = loopSource(abi, rules, chained, true);
  const large = loopSource(abi, rules, chained, false);
  // Only rule ids, the rules' own conditions and numbers from the registry go into the source.
  const loops = new Function('Counts', 'DomainBitsets', `${factsClassSource(rules)}
return [function count(bytes, nr, slots) {\n${source}\n}, function countLarge(bytes, nr, slots) {\n${large}\n}];`);
  const [masked, countLarge] = loops(Counts, DomainBitsets) as [Count, Count];
  const count: Count = (bytes, nr, slots) => (bytes.length <= MASKED_BYTES ? masked(bytes, nr, slots) : countLarge(bytes, nr, slots));
  return { rules, source, count, countLarge };
}

/** JS for an unsigned field of the entry at `at`; no field reads 0. */
function readExpr(f: FieldLayout | undefined): string {
  return f ? readIntSource(f, 'bytes', 'at') : '0';
}

const uses = (conditions: readonly string[], name: string) => conditions.some((c) => new RegExp(`\\b${name}\\b`).test(c));

/**
 * The scan loop compiled for one layout, with its offsets and sizes as constants (as
 * binary-parser does): this is what makes validating a 16-entry blob cheaper than decoding
 * it. Each rule's condition becomes one counter named after the rule.
 */
function loopSource(abi: PciAbi, rules: readonly Rule[], chained: boolean, masked: boolean): string {
  const { domain, bdf, refcount, reserved, devices } = abi.roles;
  const bySlot = abi.semantics === 'slots' || abi.semantics === 'slots-hier';
  const stride = abi.entry.size;
  const of = (over: 'in-use' | 'free') => rules.filter((r) => r.scan!.over === over);
  const counters = (list: readonly Rule[]) => list.map((r) => `if (${r.scan!.counts}) ${r.id}++;`);
  /** The entry's values a list of conditions needs, as `const` lines. */
  const values = (list: readonly Rule[]) => {
    const conds = list.map((r) => r.scan!.counts);
    const need = (name: string) => uses(conds, name);
    const keyed = need('key') || need('prev');
    const lines: string[] = [];
    if (need('domain') || keyed) lines.push(`const domain = ${readExpr(domain)};`);
    if (need('bdf') || keyed) lines.push(`const bdf = ${readExpr(bdf)};`);
    if (keyed) lines.push('const key = domain * 65536 + bdf;');
    if (need('reserved')) lines.push(`const reserved = ${readExpr(reserved)};`);
    if (need('nonZero')) lines.push(`let nonZero = false;`, `for (let z = at; z < at + ${stride}; z++) if (bytes[z] !== 0) { nonZero = true; break; }`);
    return lines;
  };
  const indent = (n: number, lines: readonly string[]) => lines.map((l) => `${' '.repeat(n)}${l}`);
  const inUse = of('in-use');
  const free = of('free');
  const tracksPrev = uses(inUse.map((r) => r.scan!.counts), 'prev');
  const used = bySlot ? 'refcount !== 0' : abi.semantics === 'sorted' ? 'i < sortedEnd' : 'false';
  const bitsets = rules.some((r) => /\bbitsets\b/.test(r.scan!.counts)) ? `slots >= ${SMALL} ? new DomainBitsets() : undefined` : 'undefined';
  return [
    `// ${abi.id}${chained ? ', entries of a block chain' : ''}: an entry is in use when ${used}`,
    ...(abi.semantics === 'sorted' ? ['const sortedEnd = Number(nr);'] : []),
    `const bitsets = ${bitsets};`,
    `let inUse = 0, prev = -1${rules.map((r) => `, ${r.id} = 0`).join('')};`,
    ...(masked
      ? [`for (let i = 0, next = ${chained ? 0 : devices.offset}; i < slots; i++, next += ${stride}) {`, `  const at = next & 0x${POSITION_MASK.toString(16)};`]
      : [`for (let i = 0, at = ${chained ? 0 : devices.offset}; i < slots; i++, at += ${stride}) {`]),
    `  const refcount = ${readExpr(refcount)};`,
    `  if (!(${used})) {`,
    ...indent(4, [...values(free), ...counters(free), 'continue;']),
    '  }',
    ...indent(2, [...values(inUse), 'inUse++;', ...counters(inUse)]),
    ...(tracksPrev ? ['  prev = key;'] : []),
    '}',
    `return new Facts(inUse${rules.map((r) => `, ${r.id}`).join('')});`,
  ].join('\n');
}
