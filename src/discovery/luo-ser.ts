import type { StructLayout } from '../layout/engine.js';
import { readInt } from '../layout/field-io.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { containers, containerStruct } from '../registry.js';

/** The luo_ser feature bits of the feature-header form. */
const LUO_FEATURE_NUMBER = 1n;
const LUO_FEATURE_SESSIONS = 2n;
const LUO_FEATURE_FLBS = 4n;
const KNOWN_FEATURES = LUO_FEATURE_NUMBER | LUO_FEATURE_SESSIONS | LUO_FEATURE_FLBS;
/** The most bytes a compat string leading a luo_ser may take. */
const MAX_COMPAT = 64;

/** A struct luo_ser read from memory. */
export interface LuoSer {
  /** The registry container whose layout it has. */
  readonly layout: string;
  /** Its compat string; absent for the feature-header form. */
  readonly compatible?: string;
  readonly size: number;
  readonly liveupdate_num: bigint;
  readonly flbs_pa: bigint;
  /** Offset of flbs_pa in the struct. */
  readonly flbsOffset: number;
}

/** A luo_ser that could not be read: why, and at which byte. */
export interface LuoSerProblem {
  readonly offset: number;
  readonly message: string;
}

const u64 = (bytes: Uint8Array, s: StructLayout, name: string) => {
  const f = s.fields.find((x) => x.name === name)!;
  return BigInt(readInt(bytes, f.offset, f));
};

function fromLayout(bytes: Uint8Array, layout: string, compatible?: string): LuoSer {
  const s = containerStruct(layout, 'luo_ser');
  return {
    layout,
    ...(compatible !== undefined ? { compatible } : {}),
    size: s.size,
    liveupdate_num: u64(bytes, s, 'liveupdate_num'),
    flbs_pa: u64(bytes, s, 'flbs_pa'),
    flbsOffset: s.fields.find((f) => f.name === 'flbs_pa')!.offset,
  };
}

/** The luo_ser a LUO FDT's luo-abi-header points at (24 bytes, no compat string). */
export function readFdtLuoSer(memory: PhysicalMemory, pa: bigint): LuoSer | null {
  const size = containerStruct('luo-fdt-abihdr', 'luo_ser').size;
  const bytes = memory.read(pa, size);
  return bytes && fromLayout(bytes, 'luo-fdt-abihdr');
}

/**
 * Identify the raw struct luo_ser a KHO "LUO" entry points at: a leading `luo-v` compat
 * string names the layout (its array is ALIGN(sizeof(str), 8) bytes); otherwise a 152-byte
 * feature header with FLBS supported, known bits only and zero reserved words.
 * `blobSize` (from the KHO tree, when it has one) must equal the struct's size.
 */
export function readRawLuoSer(memory: PhysicalMemory, pa: bigint, blobSize: number | undefined): LuoSer | LuoSerProblem {
  const head = memory.read(pa, 8);
  if (!head) return { offset: 0, message: 'not in the memory images' };
  const sizeBad = (size: number, what: string): LuoSerProblem | null =>
    blobSize !== undefined && blobSize !== size ? { offset: 0, message: `blob-size ${blobSize}, but ${what} is ${size} bytes` } : null;
  if (Buffer.from(head.subarray(0, 5)).toString('latin1') === 'luo-v') {
    let text = head;
    for (let n = MAX_COMPAT; n > head.length; n -= 8) {
      const got = memory.read(pa, n);
      if (got) {
        text = got;
        break;
      }
    }
    const nul = text.indexOf(0);
    if (nul < 0) return { offset: 0, message: `compat string "luo-v…" has no NUL in its first ${text.length} bytes` };
    const compatible = Buffer.from(text.subarray(0, nul)).toString('latin1');
    const c = containers.find((x) => x.id.startsWith('luo-ser') && (x.compatible === compatible || x.alsoCompatible.includes(compatible)));
    if (!c) return { offset: 0, message: `struct luo_ser compat "${compatible}" is no LUO version kho-abi knows (${luoSerCompats().join(', ')})` };
    const size = containerStruct(c.id, 'luo_ser').size;
    const bad = sizeBad(size, `struct luo_ser of "${compatible}"`);
    if (bad) return bad;
    const bytes = memory.read(pa, size);
    if (!bytes) return { offset: 0, message: `struct luo_ser of "${compatible}" (${size} bytes) runs past the memory images` };
    return fromLayout(bytes, c.id, compatible);
  }
  return readFeatureLuoSer(memory, pa, sizeBad);
}

function readFeatureLuoSer(memory: PhysicalMemory, pa: bigint, sizeBad: (size: number, what: string) => LuoSerProblem | null): LuoSer | LuoSerProblem {
  const ser = containerStruct('luo-ser-feat', 'luo_ser');
  const hdr = containerStruct('luo-ser-feat', 'luo_feature_hdr');
  const notKnown = 'neither an FDT, nor a struct luo_ser led by a "luo-v" compat string, nor';
  const bad = sizeBad(ser.size, `${notKnown} a feature-header struct luo_ser, which`);
  if (bad) return bad;
  const bytes = memory.read(pa, ser.size);
  if (!bytes) return { offset: 0, message: `${notKnown} a feature-header struct luo_ser (${ser.size} bytes run past the memory images)` };
  for (const name of ['supp', 'req', 'active']) {
    const f = hdr.fields.find((x) => x.name === name)!;
    const v = u64(bytes, hdr, name);
    if (v & ~KNOWN_FEATURES) return { offset: f.offset, message: `${notKnown} a feature-header struct luo_ser: features.${name} = 0x${v.toString(16)} has bits other than NUMBER, SESSIONS, FLBS` };
  }
  const supp = u64(bytes, hdr, 'supp');
  if (!(supp & LUO_FEATURE_FLBS)) return { offset: 0, message: `${notKnown} a feature-header struct luo_ser with FLBS: features.supp = 0x${supp.toString(16)}` };
  const reserved = hdr.fields.find((x) => x.name === 'reserved')!;
  const nonzero = bytes.subarray(reserved.offset, reserved.offset + reserved.size).findIndex((b) => b !== 0);
  if (nonzero >= 0) return { offset: reserved.offset + nonzero, message: `feature-header struct luo_ser: features.reserved has a non-zero byte at offset ${reserved.offset + nonzero}` };
  return fromLayout(bytes, 'luo-ser-feat');
}

function luoSerCompats(): string[] {
  return containers.filter((x) => x.id.startsWith('luo-ser') && x.compatible).flatMap((x) => [x.compatible!, ...x.alsoCompatible]);
}

/** Whether a value is a LuoSerProblem. */
export function isLuoSerProblem(r: LuoSer | LuoSerProblem): r is LuoSerProblem {
  return 'message' in r;
}
