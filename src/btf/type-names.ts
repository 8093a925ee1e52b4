import { BtfError } from './btf-error.js';
import { BTF_KIND, MAX_RESOLVE_DEPTH } from './btf-kinds.js';
import type { Btf } from './btf.js';

/** Longest type name rendered; longer ones (hostile function prototypes) end in `...`. */
const MAX_NAME = 512;

const QUALIFIERS: Record<number, string> = { [BTF_KIND.CONST]: 'const', [BTF_KIND.VOLATILE]: 'volatile', [BTF_KIND.RESTRICT]: 'restrict' };

/** C type names of BTF types as pahole prints them (`struct pci_bus *`, `volatile const u32`), memoized. */
export class TypeNames {
  private readonly memo = new Map<number, string>();
  private readonly busy = new Set<number>();

  constructor(private readonly btf: Btf) {}

  /** The C name of a type: `u16`, `struct pci_dev_ser`, `union`, `void (*)(int)`. */
  name(id: number, depth = 0): string {
    if (id === 0) return 'void';
    const known = this.memo.get(id);
    if (known !== undefined) return known;
    if (this.busy.has(id) || depth > MAX_RESOLVE_DEPTH) throw new BtfError(`${this.btf.file}: type ${id} names itself (a cycle through pointers, typedefs or qualifiers)`);
    this.busy.add(id);
    const text = clip(this.compute(id, depth + 1));
    this.busy.delete(id);
    this.memo.set(id, text);
    return text;
  }

  private compute(id: number, depth: number): string {
    const t = this.btf.type(id);
    const kind = BTF_KIND[t.kind];
    switch (kind) {
      case BTF_KIND.STRUCT:
      case BTF_KIND.UNION:
      case BTF_KIND.ENUM:
      case BTF_KIND.ENUM64:
      case BTF_KIND.FWD: {
        const kw = kind === BTF_KIND.STRUCT ? 'struct' : kind === BTF_KIND.UNION ? 'union' : kind === BTF_KIND.FWD ? (t.kindFlag ? 'union' : 'struct') : 'enum';
        return t.name ? `${kw} ${t.name}` : kw;
      }
      case BTF_KIND.CONST:
      case BTF_KIND.VOLATILE:
      case BTF_KIND.RESTRICT: {
        const inner = this.name(t.sizeOrType, depth);
        return this.btf.kind(t.sizeOrType) === BTF_KIND.PTR ? `${inner} ${QUALIFIERS[kind]}` : `${QUALIFIERS[kind]} ${inner}`;
      }
      case BTF_KIND.TYPE_TAG:
        return this.name(t.sizeOrType, depth);
      case BTF_KIND.PTR:
        return this.pointer(t.sizeOrType, depth);
      case BTF_KIND.FUNC_PROTO:
        return `${this.name(t.sizeOrType, depth)}(${this.params(id, depth)})`;
      case BTF_KIND.ARRAY: {
        const a = this.btf.arrayInfo(id);
        return `${this.name(a.type, depth)}[${a.nelems}]`;
      }
      default:
        return t.name;
    }
  }

  private pointer(target: number, depth: number): string {
    const kind = this.btf.kind(target);
    if (kind === BTF_KIND.FUNC_PROTO) return `${this.name(this.btf.type(target).sizeOrType, depth)} (*)(${this.params(target, depth)})`;
    if (kind === BTF_KIND.ARRAY) {
      const a = this.btf.arrayInfo(target);
      return `${this.name(a.type, depth)} (*)[${a.nelems}]`;
    }
    const inner = this.name(target, depth);
    return inner.endsWith('*') ? `${inner}*` : `${inner} *`;
  }

  private params(proto: number, depth: number): string {
    const out: string[] = [];
    let length = 0;
    for (const p of this.btf.params(proto)) {
      const text = p === 0 ? '...' : this.name(p, depth);
      out.push(text);
      length += text.length + 2;
      if (length > MAX_NAME) break;
    }
    return out.length ? out.join(', ') : 'void';
  }
}

function clip(text: string): string {
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME)}...` : text;
}
