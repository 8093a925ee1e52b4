import { UsageError } from '../errors.js';

const XXD_LINE = /^\s*([0-9a-f]+):\s?(.*)$/i;

/**
 * Bytes from a hex dump: `xxd` output (offset, hex groups, ASCII column; `*` lines of
 * `xxd -a` repeat zeros up to the next offset) or plain hex (`xxd -p`, whitespace ignored).
 */
export function parseHexDump(text: string, source: string): Uint8Array {
  const lines = text.split(/\r?\n/);
  const isXxd = lines.some((l) => XXD_LINE.test(l) && /:\s/.test(l));
  return isXxd ? parseXxd(lines, source) : parsePlain(text, source);
}

function parsePlain(text: string, source: string): Uint8Array {
  const hex = text.replace(/\s+/g, '');
  const bad = /[^0-9a-f]/i.exec(hex);
  if (bad) throw new UsageError(`${source}: "${bad[0]}" is not a hex digit (--input-format hex takes plain hex or xxd output)`);
  if (hex.length % 2) throw new UsageError(`${source}: odd number of hex digits`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function parseXxd(lines: string[], source: string): Uint8Array {
  const parts: Buffer[] = [];
  let length = 0;
  let zeroFill = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (line.trim() === '*') {
      zeroFill = true;
      return;
    }
    const m = XXD_LINE.exec(line);
    if (!m) throw new UsageError(`${source}:${i + 1}: not an xxd line`);
    const offset = parseInt(m[1]!, 16);
    // The hex column ends at the first double space (the ASCII column follows it).
    const hex = m[2]!.split(/\s{2,}/)[0]!.replace(/\s+/g, '');
    if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new UsageError(`${source}:${i + 1}: bad hex column`);
    if (offset < length || (offset > length && !zeroFill)) {
      throw new UsageError(`${source}:${i + 1}: offset 0x${offset.toString(16)} does not follow 0x${length.toString(16)}`);
    }
    if (offset > length) {
      parts.push(Buffer.alloc(offset - length));
      length = offset;
    }
    zeroFill = false;
    const bytes = Buffer.from(hex, 'hex');
    parts.push(bytes);
    length += bytes.length;
  });
  return new Uint8Array(Buffer.concat(parts, length));
}
