// A minimal STUN (RFC 5389) encoder/decoder for the tests that talk ICE to a
// media daemon by hand: Binding requests as a controlling ICE agent sends
// them (USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE,
// MESSAGE-INTEGRITY, FINGERPRINT), and the responses' class and error code.
import { createHmac, randomBytes } from 'node:crypto';

export const MAGIC_COOKIE = 0x2112a442;
export const ATTR = Object.freeze({
  USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, XOR_MAPPED_ADDRESS: 0x0020,
  PRIORITY: 0x0024, USE_CANDIDATE: 0x0025, FINGERPRINT: 0x8028, ICE_CONTROLLING: 0x802a,
});

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function attr(type, value) {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16BE(type, 0);
  b.writeUInt16BE(value.length, 2);
  value.copy(b, 4);
  return b;
}

// A Binding request. username "<server ufrag>:<our ufrag>"; password: the
// server's ICE password (the key of MESSAGE-INTEGRITY). Options:
// useCandidate (default true), integrity/fingerprint (default true).
export function bindingRequest({ username, password, useCandidate = true, integrity = true, fingerprint = true,
                                 priority = 0x6e0001ff, tid = randomBytes(12) }) {
  const attrs = [attr(ATTR.USERNAME, Buffer.from(username, 'utf8'))];
  const prio = Buffer.alloc(4);
  prio.writeUInt32BE(priority >>> 0, 0);
  attrs.push(attr(ATTR.PRIORITY, prio));
  attrs.push(attr(ATTR.ICE_CONTROLLING, randomBytes(8)));
  if (useCandidate) attrs.push(attr(ATTR.USE_CANDIDATE, Buffer.alloc(0)));
  let body = Buffer.concat(attrs);
  const header = (len) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(0x0001, 0);
    h.writeUInt16BE(len, 2);
    h.writeUInt32BE(MAGIC_COOKIE, 4);
    tid.copy(h, 8);
    return h;
  };
  if (integrity) {
    // HMAC over the message up to MESSAGE-INTEGRITY, its length counting it.
    const mac = createHmac('sha1', Buffer.from(password, 'utf8'))
      .update(Buffer.concat([header(body.length + 24), body])).digest();
    body = Buffer.concat([body, attr(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  if (fingerprint) {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((crc32(Buffer.concat([header(body.length + 8), body])) ^ 0x5354554e) >>> 0, 0);
    body = Buffer.concat([body, attr(ATTR.FINGERPRINT, crc)]);
  }
  return { tid, bytes: Buffer.concat([header(body.length), body]) };
}

// Decodes a STUN message: {method, cls ('request'|'indication'|'success'|
// 'error'), tid, errorCode?, attrs: Map<type, Buffer>}, or null if `b` is not
// STUN.
export function parse(b) {
  if (b.length < 20 || (b[0] & 0xc0) !== 0 || b.readUInt32BE(4) !== MAGIC_COOKIE) return null;
  const type = b.readUInt16BE(0);
  const len = b.readUInt16BE(2);
  if (20 + len > b.length) return null;
  const cls = ['request', 'indication', 'success', 'error'][((type >> 7) & 2) | ((type >> 4) & 1)];
  const method = (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
  const attrs = new Map();
  for (let off = 20; off + 4 <= 20 + len;) {
    const t = b.readUInt16BE(off);
    const l = b.readUInt16BE(off + 2);
    attrs.set(t, b.subarray(off + 4, off + 4 + l));
    off += 4 + l + ((4 - (l % 4)) % 4);
  }
  const out = { method, cls, tid: b.subarray(8, 20), attrs };
  const ec = attrs.get(ATTR.ERROR_CODE);
  if (ec && ec.length >= 4) out.errorCode = (ec[2] & 7) * 100 + ec[3];
  return out;
}

// RFC 4571 framing (ICE-TCP): a 16-bit length before each packet.
export function frame(packet) {
  const h = Buffer.alloc(2);
  h.writeUInt16BE(packet.length, 0);
  return Buffer.concat([h, packet]);
}
