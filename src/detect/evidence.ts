import type { CheckContext } from '../validate/context.js';
import { DEFAULT_PAGE_SIZE } from '../block-chain/page-size.js';

/** Largest domain a real machine uses: ACPI segments (16 bits) and VMD domains from 0x10000. */
const PLAUSIBLE_DOMAIN = 0x1ffff;

/** Why the bytes fit an id, with a score: higher is stronger evidence. */
export function evidence(ctx: CheckContext): { reasons: string[]; score: number } {
  return ctx.abi.storage === 'inline' ? inlineEvidence(ctx) : blockEvidence(ctx);
}

function inlineEvidence(ctx: CheckContext): { reasons: string[]; score: number } {
  const { abi, bytes } = ctx;
  const facts = ctx.entries!;
  const reasons = [`root ${abi.root.size} B + ${ctx.slots} slot${ctx.slots === 1 ? '' : 's'} × ${abi.entry.size} B = ${ctx.entriesEnd} B fit in the ${bytes.length}-byte blob`];
  let score = 0;
  const counts = abi.roles.max ? `nr_devices = ${ctx.nr} ≤ max_nr_devices = ${ctx.max}` : `nr_devices = ${ctx.nr}`;
  switch (abi.semantics) {
    case 'skeleton':
      reasons.push(`${counts}, every slot zero: the skeleton writes no device`);
      return { reasons, score };
    case 'sorted':
      reasons.push(`${counts}; ${facts.inUse} entr${facts.inUse === 1 ? 'y' : 'ies'} strictly ascending by domain << 16 | bdf`);
      score += Math.min(facts.inUse - 1, 4);
      break;
    default:
      reasons.push(`${counts}; nr_devices matches the ${facts.inUse} slot${facts.inUse === 1 ? '' : 's'} with refcount != 0`);
      score += Math.min(facts.inUse, 4);
      if (facts.inUse) score += refcountPattern(ctx, reasons);
      if (facts.inUse && !ascending(ctx)) reasons.push('slots in no particular order (the slot allocator does not sort)');
  }
  score += domainPlausibility(ctx, reasons);
  return { reasons, score };
}

/** Evidence from the refcounts: all 1 suits 0/1 semantics best; counts above 1 need hierarchical ones. */
function refcountPattern(ctx: CheckContext, reasons: string[]): number {
  const refcount = ctx.columns.refcount!;
  let maxRefcount = 0;
  for (let i = 0; i < refcount.length; i++) maxRefcount = Math.max(maxRefcount, refcount[i]!);
  const hier = ctx.abi.semantics === 'slots-hier';
  if (maxRefcount === 1) {
    reasons.push('every in-use refcount is 1' + (hier ? ' (also what hierarchical counts look like without bridges)' : ''));
    return hier ? 0 : 1;
  }
  reasons.push(`refcounts up to ${maxRefcount}: hierarchical counts (bridges)`);
  return 3;
}

/** Whether the in-use keys (domain << 16 | bdf) ascend in storage order. */
function ascending(ctx: CheckContext): boolean {
  const { domain, bdf } = ctx.columns;
  for (let i = 1; i < domain.length; i++) if (domain[i]! * 65536 + bdf[i]! < domain[i - 1]! * 65536 + bdf[i - 1]!) return false;
  return true;
}

function domainPlausibility(ctx: CheckContext, reasons: string[]): number {
  const { domain } = ctx.columns;
  if (domain.length === 0) return 0;
  let odd = 0;
  for (let i = 0; i < domain.length; i++) if (domain[i]! > PLAUSIBLE_DOMAIN) odd++;
  if (odd === 0) {
    reasons.push(`every domain is plausible (≤ 0x${PLAUSIBLE_DOMAIN.toString(16)})`);
    return 1;
  }
  reasons.push(`${odd} of ${domain.length} domains are implausible (> 0x${PLAUSIBLE_DOMAIN.toString(16)}): bytes read at the wrong offsets?`);
  return -4;
}

function blockEvidence(ctx: CheckContext): { reasons: string[]; score: number } {
  const { abi, bytes } = ctx;
  const reasons = [`root ${abi.root.size} B fits in the ${bytes.length}-byte blob; the entries live in a KHO block chain`];
  let score = 0;
  if (abi.version !== undefined) {
    reasons.push(`version = ${ctx.version} = PCI_LUO_FLB_VERSION ${abi.version}`);
    score += 3;
  }
  const head = BigInt(ctx.head!);
  if (Number(ctx.nr) === 0 && head === 0n) reasons.push('nr_devices = 0 and devices = 0: an empty set');
  else if (head % BigInt(DEFAULT_PAGE_SIZE) === 0n) {
    reasons.push(`nr_devices = ${ctx.nr}; devices = 0x${head.toString(16)} is page-aligned (a KHO block header)`);
    score += 2;
  } else {
    reasons.push(`devices = 0x${head.toString(16)} is not page-aligned, which a KHO block header is`);
    score -= 4;
  }
  return { reasons, score };
}
