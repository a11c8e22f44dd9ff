/**
 * Text ⇄ a URL-safe parameter value: gzip (fflate, mtime 0 so equal input gives an equal link)
 * and base64url without padding. Unpacking treats the value as hostile: the output is bounded
 * and the gzip length and checksum are verified, which fflate does not do.
 */
import { gunzipSync, gzipSync } from 'fflate';

export function packText(text: string): string {
  return toBase64url(gzipSync(new TextEncoder().encode(text), { level: 9, mtime: 0 }));
}

/** The text `packText` made, or an Error saying what is wrong with `value`. */
export function unpackText(value: string, maxBytes: number): string {
  if (!/^[A-Za-z0-9_-]*$/.test(value) || value.length % 4 === 1) throw new Error('not base64url text');
  const bytes = fromBase64url(value);
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 8) throw new Error('not gzip data');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expectedCrc = view.getUint32(bytes.length - 8, true);
  const expectedSize = view.getUint32(bytes.length - 4, true);
  let data: Uint8Array;
  try {
    // A buffer of our size, not the stored one: fflate would allocate whatever the trailer says.
    data = gunzipSync(bytes, { out: new Uint8Array(maxBytes + 1) });
  } catch {
    throw new Error('truncated or corrupted (cannot decompress)');
  }
  if (data.length > maxBytes) throw new Error(`expands past the ${maxBytes}-byte limit`);
  if (data.length !== expectedSize || crc32(data) !== expectedCrc) throw new Error('truncated or corrupted (checksum mismatch)');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new Error('not UTF-8 text');
  }
}

function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as gzip stores it (IEEE polynomial, reflected). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
