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

/** Character codes of the lowercase hex digits, by value. */
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const COLON = 0x3a;
const DOT = 0x2e;

/**
 * Whether `text` is exactly formatAddress(domain, bdf): each character compared with the digit
 * it must be, without building or parsing a string (a domain past 16 bits takes formatAddress).
 */
export function isAddressOf(text: string, domain: number, bdf: number): boolean {
  if ((domain & 0xffff) !== domain) return text === formatAddress(domain, bdf);
  return (
    text.length === 12 &&
    text.charCodeAt(0) === HEX_CODES[domain >> 12] &&
    text.charCodeAt(1) === HEX_CODES[(domain >> 8) & 15] &&
    text.charCodeAt(2) === HEX_CODES[(domain >> 4) & 15] &&
    text.charCodeAt(3) === HEX_CODES[domain & 15] &&
    text.charCodeAt(4) === COLON &&
    text.charCodeAt(5) === HEX_CODES[(bdf >> 12) & 15] &&
    text.charCodeAt(6) === HEX_CODES[(bdf >> 8) & 15] &&
    text.charCodeAt(7) === COLON &&
    text.charCodeAt(8) === HEX_CODES[(bdf >> 7) & 1] &&
    text.charCodeAt(9) === HEX_CODES[(bdf >> 3) & 15] &&
    text.charCodeAt(10) === DOT &&
    text.charCodeAt(11) === HEX_CODES[bdf & 7]
  );
}
