const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `lspci -D` style address of a device: `%04x:%02x:%02x.%x` (domain:bus:slot.func). */
export function formatAddress(domain: number, bdf: number): string {
  const d = domain >= 0 && domain <= 0xffff ? HEX2[domain >> 8]! + HEX2[domain & 0xff]! : hex(domain, 4);
  return `${d}:${HEX2[(bdf >> 8) & 0xff]}:${HEX2[(bdf >> 3) & 0x1f]}.${bdf & 7}`;
}

/** Parse `[domain:]bus:slot.func` into (domain, bdf); null when it is not such an address. */
export function parseAddress(text: string): { domain: number; bdf: number } | null {
  const m = /^(?:([0-9a-f]{1,8}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(text.trim());
  if (!m) return null;
  const slot = parseInt(m[3]!, 16);
  if (slot > 0x1f) return null;
  const domain = m[1] === undefined ? 0 : parseInt(m[1], 16);
  const bdf = (parseInt(m[2]!, 16) << 8) | (slot << 3) | parseInt(m[4]!, 16);
  return { domain, bdf };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const hexDigit = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/** The value of the lowercase hex digits text[from..to), or -1 when one is not such a digit. */
function hexAt(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = hexDigit(text.charCodeAt(i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Whether `text` is exactly formatAddress(domain, bdf), checked without building the string. */
export function isAddressOf(text: string, domain: number, bdf: number): boolean {
  if ((domain & 0xffff) !== domain) return text === formatAddress(domain, bdf);
  return (
    text.length === 12 &&
    text.charCodeAt(4) === 0x3a &&
    text.charCodeAt(7) === 0x3a &&
    text.charCodeAt(10) === 0x2e &&
    hexAt(text, 0, 4) === domain &&
    hexAt(text, 5, 7) === ((bdf >> 8) & 0xff) &&
    hexAt(text, 8, 10) === ((bdf >> 3) & 0x1f) &&
    hexAt(text, 11, 12) === (bdf & 7)
  );
}
