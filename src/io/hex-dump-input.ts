import { UsageError } from '../errors.js';

/** How groups of more than one byte are ordered: as printed (`be`), reversed (`le`, xxd -e, print_hex_dump), or told by the dump. */
export type GroupOrder = 'be' | 'le' | 'auto';

/** A dmesg timestamp (`[   12.345678] `) before a print_hex_dump line. */
const TIMESTAMP = /^\s*(<\d+>)?\[\s*\d+\.\d+\]\s?/;
/** xxd, xxd -e and print_hex_dump: an offset (or address) and a colon, after an optional prefix. */
const COLON_LINE = /^(.*?)([0-9a-f]{6,16}):(?: (.*))?$/i;
/** hexdump -C and od -A x -t x1z: an offset, bytes, the ASCII column between | | or > <. */
const SPACED_LINE = /^([0-9a-f]{6,16})((?:\s+[0-9a-f]{2})*)\s*(?:\|(.*)\||>(.*)<)?\s*$/i;

/**
 * Bytes from a hex dump: `xxd` (also `-a`, `-e`, `-g N`, `-c N`), plain hex (`xxd -p`),
 * `hexdump -C`, `od -A x -t x1z` and the kernel's `print_hex_dump` with or without dmesg
 * timestamps. A line that is none of these is refused with its number.
 */
export function parseHexDump(text: string, source: string, order: GroupOrder = 'auto'): Uint8Array {
  const raw = text.split(/\r?\n/);
  const stamped = raw.some((l) => TIMESTAMP.test(l));
  const lines = raw.map((l) => l.replace(TIMESTAMP, ''));
  const first = lines.find((l) => l.trim() !== '' && l.trim() !== '*') ?? '';
  if (SPACED_LINE.test(first) && /\|.*\||>.*</.test(first)) return assemble(spacedRows(lines, source), source);
  const colon = COLON_LINE.exec(first);
  if (colon && colon[3] !== undefined) {
    const parsed = colonLines(lines, source);
    const le = parsed.some((p) => 'groups' in p && p.groups.some((g) => g.length > 2)) && littleEndian(parsed, order, colon[1]!.length > 0 || stamped);
    if (le !== undefined) return assemble(colonRows(parsed, le, source), source);
    const wide = parsed.some((p) => 'groups' in p && p.groups.some((g) => g.length > 4));
    throw new GroupOrderUnknown(
      `${source}: line ${parsed[0]?.line ?? 1}: groups of several bytes, and nothing says their order: xxd -e (little-endian) and xxd -g N print them alike; give --input-format hex-le or hex-be, or dump with plain xxd or xxd -p`,
      assemble(colonRows(parsed, true, source), source),
      assemble(colonRows(parsed, false, source), source),
      !wide,
    );
  }
  return parsePlain(text, source);
}

/** One line of a dump: where it says it starts (null: `*`, zeros up to the next), its bytes. */
interface Row {
  readonly line: number;
  readonly offset: number | null;
  readonly bytes: Uint8Array;
}

function parsePlain(text: string, source: string): Uint8Array {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const bad = /[^0-9a-f\s]/i.exec(lines[i]!);
    if (bad) throw new UsageError(`${source}: line ${i + 1}: "${bad[0]}" is not a hex digit (--input-format hex reads plain hex, xxd, hexdump -C, od -A x -t x1z and print_hex_dump output)`);
  }
  const hex = text.replace(/\s+/g, '');
  if (hex.length % 2) throw new UsageError(`${source}: odd number of hex digits`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Rows of hexdump -C / od output: one-byte groups; a lone offset at the end gives the length. */
function spacedRows(lines: readonly string[], source: string): Row[] {
  const rows: Row[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (line.trim() === '*') return void rows.push({ line: i + 1, offset: null, bytes: new Uint8Array(0) });
    const m = SPACED_LINE.exec(line);
    if (!m) throw new UsageError(`${source}: line ${i + 1}: not a hexdump -C or od -A x -t x1z line`);
    const bytes = Uint8Array.from(m[2]!.trim().split(/\s+/).filter(Boolean), (h) => parseInt(h, 16));
    checkAscii(bytes, m[3] ?? m[4], source, i + 1);
    rows.push({ line: i + 1, offset: parseInt(m[1]!, 16), bytes });
  });
  return rows;
}

/**
 * A dump whose multi-byte groups can be read either way (xxd -e or xxd -g N of bytes with no telling
 * ASCII): both readings, for a caller that knows which bytes make sense (an ABI id to validate under).
 */
export class GroupOrderUnknown extends UsageError {
  constructor(
    message: string,
    readonly littleEndian: Uint8Array,
    readonly bigEndian: Uint8Array,
    /** 2-byte groups: plain xxd's, read as printed unless the bytes say otherwise. */
    readonly plainXxd: boolean,
  ) {
    super(message);
  }
}

type ColonLine = { line: number; offset: number; groups: string[]; ascii: string | undefined; rightAligned: boolean } | { line: number; star: true };

/** The lines of xxd / xxd -e / print_hex_dump output, groups as printed. */
function colonLines(lines: readonly string[], source: string): ColonLine[] {
  const parsed: ColonLine[] = [];
  let width: number | undefined;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (line.trim() === '*') return void parsed.push({ line: i + 1, star: true });
    const m = COLON_LINE.exec(line);
    if (!m || m[3] === undefined) throw new UsageError(`${source}: line ${i + 1}: not an xxd or print_hex_dump line`);
    const rest = m[3];
    // The hex column is as wide on every line as on the first (a short last line is padded to it).
    width ??= hexWidth(rest);
    const hex = rest.slice(0, width);
    const groups = hex.trim().split(/\s+/).filter(Boolean);
    if (!groups.every((g) => /^([0-9a-f]{2})+$/i.test(g))) throw new UsageError(`${source}: line ${i + 1}: bad hex column`);
    const ascii = rest.length > width + 2 ? rest.slice(width + 2) : undefined;
    parsed.push({ line: i + 1, offset: parseInt(m[2]!, 16), groups, ascii, rightAligned: /^ +[0-9a-f]/i.test(hex) && hex.trimEnd().length === width });
  });
  return parsed;
}

/** Rows of xxd / xxd -e / print_hex_dump lines, multi-byte groups reversed when little-endian. */
function colonRows(parsed: readonly ColonLine[], le: boolean, source: string): Row[] {
  return parsed.map((p) => {
    if (!('groups' in p)) return { line: p.line, offset: null, bytes: new Uint8Array(0) };
    const bytes = new Uint8Array(Buffer.concat(p.groups.map((g) => (le ? Buffer.from(g, 'hex').reverse() : Buffer.from(g, 'hex')))));
    checkAscii(bytes, p.ascii, source, p.line);
    return { line: p.line, offset: p.offset, bytes };
  });
}

/** Width of the hex column: up to the first two spaces after a hex digit (where the ASCII column starts). */
function hexWidth(rest: string): number {
  const m = /[0-9a-f] {2,}/i.exec(rest);
  return m ? m.index + 1 : rest.length;
}

/**
 * Whether the groups are little-endian (xxd -e, print_hex_dump on a little-endian kernel): said by
 * the user, or told by the ASCII column, a right-aligned short group (xxd -e) or a kernel log.
 * When nothing tells: undefined.
 */
function littleEndian(lines: readonly ColonLine[], order: GroupOrder, kernel: boolean): boolean | undefined {
  if (order !== 'auto') return order === 'le';
  const rows = lines.flatMap((p) => ('groups' in p ? [p] : []));
  let be = false;
  let le = false;
  for (const r of rows) {
    if (r.ascii === undefined) continue;
    const asIs = Buffer.concat(r.groups.map((g) => Buffer.from(g, 'hex')));
    const reversed = Buffer.concat(r.groups.map((g) => Buffer.from(g, 'hex').reverse()));
    const a = asciiMatches(asIs, r.ascii);
    const b = asciiMatches(reversed, r.ascii);
    if (a && !b) be = true;
    if (b && !a) le = true;
  }
  if (be !== le) return le;
  if (rows.some((r) => r.rightAligned) || kernel) return true;
  return undefined;
}

function asciiMatches(bytes: Uint8Array, ascii: string): boolean {
  if (ascii.length < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    const shown = c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    if (ascii[i] !== shown) return false;
  }
  return true;
}

function checkAscii(bytes: Uint8Array, ascii: string | undefined, source: string, line: number): void {
  if (ascii !== undefined && ascii.trim() !== '' && !asciiMatches(bytes, ascii)) {
    throw new UsageError(`${source}: line ${line}: the ASCII column does not match the hex bytes`);
  }
}

/** The bytes the rows describe, from the first row's offset: rows follow each other, `*` repeats zeros up to the next offset. */
function assemble(rows: readonly Row[], source: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const base = rows.find((r) => r.offset !== null)?.offset ?? 0;
  let length = 0;
  let zeroFill = false;
  for (const r of rows) {
    if (r.offset === null) {
      zeroFill = true;
      continue;
    }
    const at = r.offset - base;
    if (at < length || (at > length && !zeroFill)) {
      throw new UsageError(`${source}: line ${r.line}: offset 0x${r.offset.toString(16)} does not follow 0x${(base + length).toString(16)}`);
    }
    if (at > length) {
      parts.push(new Uint8Array(at - length));
      length = at;
    }
    zeroFill = false;
    parts.push(r.bytes);
    length += r.bytes.length;
  }
  return new Uint8Array(Buffer.concat(parts, length));
}
