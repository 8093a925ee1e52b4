// Reference decoders/encoders for the flat (inline) PCI ids, built by walking the
// registry's StructLayouts: binary-parser and restructure. Shared by the
// differential tests (test/oracles) and the benchmark (scripts/bench.mjs).
import { Parser } from 'binary-parser';
import * as r from 'restructure';

/** Number of entry slots the root accounts for: the rule that decode applies. */
export function slotCount(abi, root) {
  const nr = BigInt(root.nr_devices);
  const max = abi.roles.max ? BigInt(root[abi.roles.max.name]) : undefined;
  if (abi.semantics === 'sorted') return Number(max === undefined || nr > max ? nr : max);
  return Number(max);
}

/** The in-use entries among every decoded slot, in storage order, each with its `index`. */
export function inUse(abi, root, slots) {
  const out = [];
  const take = (i) => out.push({ index: i, ...slots[i] });
  if (abi.semantics === 'sorted') {
    for (let i = 0; i < Number(root.nr_devices); i++) take(i);
  } else if (abi.semantics !== 'skeleton') {
    const rc = abi.roles.refcount.name;
    for (let i = 0; i < slots.length; i++) if (slots[i][rc] !== 0) take(i);
  }
  return out;
}

function checkFlat(abi) {
  if (abi.storage !== 'inline') throw new Error(`${abi.id}: the oracles cover flat (inline) ids only`);
}

function intName(f) {
  if (f.kind !== 'int' || f.count !== undefined) throw new Error(`${f.name}: only scalar integers are supported`);
  const bits = f.elementSize * 8;
  const order = bits === 8 ? '' : f.bigEndian ? 'be' : 'le';
  return `${f.signed ? 'int' : 'uint'}${bits}${order}`;
}

/** Walk a struct's fields in offset order, calling `gap(n)` for unused bytes and `field(f)` for members. */
function walk(struct, gap, field) {
  let at = 0;
  for (const f of struct.fields) {
    if (f.offset > at) gap(f.offset - at);
    field(f);
    at = f.offset + f.size;
  }
  if (!struct.fields.some((f) => f.flexible) && struct.size > at) gap(struct.size - at);
}

/** A binary-parser Parser for struct pci_ser of a flat id; `parse(bytes)` gives the root fields and every slot. */
export function binaryParserFor(abi) {
  checkFlat(abi);
  const entry = new Parser().endianness('little');
  walk(abi.entry, (n) => entry.seek(n), (f) => entry[intName(f)](f.name));
  const root = new Parser().endianness('little');
  walk(
    abi.root,
    (n) => root.seek(n),
    (f) => {
      if (f.flexible) {
        root.array(f.name, { type: entry, length: function () { return slotCount(abi, this); } });
      } else root[intName(f)](f.name);
    },
  );
  return root;
}

/** A 64-bit restructure type composed of two uint32 halves (restructure has none); values are bigints. */
function u64(f) {
  const [lo, hi] = f.bigEndian ? [1, 0] : [0, 1];
  const half = f.bigEndian ? r.uint32be : r.uint32le;
  return {
    size: () => 8,
    decode(stream) {
      const w = [half.decode(stream), half.decode(stream)];
      const v = (BigInt(w[hi]) << 32n) | BigInt(w[lo]);
      return f.signed ? BigInt.asIntN(64, v) : v;
    },
    encode(stream, value) {
      const v = BigInt.asUintN(64, BigInt(value));
      const w = [];
      w[lo] = Number(v & 0xffffffffn);
      w[hi] = Number(v >> 32n);
      half.encode(stream, w[0]);
      half.encode(stream, w[1]);
    },
  };
}

function restructureInt(f) {
  if (f.kind !== 'int' || f.count !== undefined) throw new Error(`${f.name}: only scalar integers are supported`);
  if (f.elementSize === 8) return u64(f);
  return r[intName(f)];
}

function restructureFields(struct, flexible) {
  const fields = {};
  let gaps = 0;
  walk(
    struct,
    (n) => { fields[`__gap${gaps++}`] = new r.Reserved(r.uint8, n); },
    (f) => { fields[f.name] = f.flexible ? flexible(f) : restructureInt(f); },
  );
  return fields;
}

/** A restructure Struct for struct pci_ser of a flat id: `fromBuffer` decodes every slot, `toBuffer` encodes. */
export function restructureFor(abi) {
  checkFlat(abi);
  const entry = new r.Struct(restructureFields(abi.entry));
  return new r.Struct(restructureFields(abi.root, () => new r.Array(entry, (parent) => slotCount(abi, parent))));
}

/**
 * The restructure value for our encode input `{ root, devices }` (no size, no extra):
 * every slot the root accounts for, zero unless a device is placed in it.
 */
export function restructureValue(abi, input) {
  const value = { ...input.root };
  const slots = slotCount(abi, value);
  const zero = Object.fromEntries(abi.entry.fields.map((f) => [f.name, 0]));
  const devices = new Array(slots);
  for (let i = 0; i < slots; i++) devices[i] = zero;
  let k = 0;
  for (const dev of input.devices ?? []) {
    const slot = { ...zero };
    for (const f of abi.entry.fields) if (dev[f.name] !== undefined) slot[f.name] = Number(dev[f.name]);
    devices[dev.index ?? k] = slot;
    k++;
  }
  value[abi.roles.devices.name] = devices;
  return value;
}
