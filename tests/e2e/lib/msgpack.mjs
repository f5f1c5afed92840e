// A small msgpack encoder/decoder, enough to hand-craft control-plane
// messages (proto/: one map per message, short string keys) in the tests.
// Integers are encoded in the smallest msgpack form, as msgpack-c does.

export function encode(value) {
  const parts = [];
  enc(value, parts);
  return Buffer.concat(parts);
}

function u8(...b) {
  return Buffer.from(b);
}

function enc(v, out) {
  if (v === null || v === undefined) {
    out.push(u8(0xc0));
  } else if (v === true || v === false) {
    out.push(u8(v ? 0xc3 : 0xc2));
  } else if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) {
    encInt(BigInt(v), out);
  } else if (typeof v === 'number') {
    const b = Buffer.alloc(9);
    b[0] = 0xcb;
    b.writeDoubleBE(v, 1);
    out.push(b);
  } else if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    const n = s.length;
    if (n < 32) out.push(u8(0xa0 | n));
    else if (n < 0x100) out.push(u8(0xd9, n));
    else if (n < 0x10000) out.push(u8(0xda, n >> 8, n & 0xff));
    else {
      const h = Buffer.alloc(5);
      h[0] = 0xdb;
      h.writeUInt32BE(n, 1);
      out.push(h);
    }
    out.push(s);
  } else if (Buffer.isBuffer(v)) {
    const n = v.length;
    if (n < 0x100) out.push(u8(0xc4, n));
    else if (n < 0x10000) out.push(u8(0xc5, n >> 8, n & 0xff));
    else {
      const h = Buffer.alloc(5);
      h[0] = 0xc6;
      h.writeUInt32BE(n, 1);
      out.push(h);
    }
    out.push(v);
  } else if (Array.isArray(v)) {
    const n = v.length;
    if (n < 16) out.push(u8(0x90 | n));
    else out.push(u8(0xdc, n >> 8, n & 0xff));
    for (const x of v) enc(x, out);
  } else if (typeof v === 'object') {
    const entries = Object.entries(v);
    const n = entries.length;
    if (n < 16) out.push(u8(0x80 | n));
    else out.push(u8(0xde, n >> 8, n & 0xff));
    for (const [k, x] of entries) {
      enc(k, out);
      enc(x, out);
    }
  } else {
    throw new TypeError(`cannot msgpack-encode ${typeof v}`);
  }
}

function encInt(n, out) {
  if (n >= 0n) {
    if (n < 128n) out.push(u8(Number(n)));
    else if (n < 0x100n) out.push(u8(0xcc, Number(n)));
    else if (n < 0x10000n) out.push(u8(0xcd, Number(n >> 8n), Number(n & 0xffn)));
    else if (n < 0x100000000n) {
      const b = Buffer.alloc(5);
      b[0] = 0xce;
      b.writeUInt32BE(Number(n), 1);
      out.push(b);
    } else {
      const b = Buffer.alloc(9);
      b[0] = 0xcf;
      b.writeBigUInt64BE(n, 1);
      out.push(b);
    }
  } else if (n >= -32n) {
    out.push(u8(Number(n) & 0xff));
  } else if (n >= -128n) {
    const b = Buffer.alloc(2);
    b[0] = 0xd0;
    b.writeInt8(Number(n), 1);
    out.push(b);
  } else if (n >= -32768n) {
    const b = Buffer.alloc(3);
    b[0] = 0xd1;
    b.writeInt16BE(Number(n), 1);
    out.push(b);
  } else if (n >= -2147483648n) {
    const b = Buffer.alloc(5);
    b[0] = 0xd2;
    b.writeInt32BE(Number(n), 1);
    out.push(b);
  } else {
    const b = Buffer.alloc(9);
    b[0] = 0xd3;
    b.writeBigInt64BE(n, 1);
    out.push(b);
  }
}

// Decodes one complete msgpack value; throws on truncated or trailing bytes.
// 64-bit integers beyond 2^53 become BigInt; bin becomes a Buffer.
export function decode(buf) {
  const st = { buf, pos: 0 };
  const v = dec(st);
  if (st.pos !== buf.length) throw new Error(`msgpack: ${buf.length - st.pos} trailing bytes`);
  return v;
}

function need(st, n) {
  if (st.pos + n > st.buf.length) throw new Error('msgpack: truncated');
}

function big(v) {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

function dec(st) {
  need(st, 1);
  const b = st.buf;
  const t = b[st.pos++];
  const rd = (n, f) => {
    need(st, n);
    const v = f(st.pos);
    st.pos += n;
    return v;
  };
  const str = (n) => rd(n, (p) => b.toString('utf8', p, p + n));
  const bin = (n) => rd(n, (p) => Buffer.from(b.subarray(p, p + n)));
  const arr = (n) => Array.from({ length: n }, () => dec(st));
  const map = (n) => {
    const o = {};
    for (let i = 0; i < n; i++) {
      const k = dec(st);
      o[String(k)] = dec(st);
    }
    return o;
  };
  if (t < 0x80) return t;
  if (t >= 0xe0) return t - 0x100;
  if ((t & 0xf0) === 0x80) return map(t & 0x0f);
  if ((t & 0xf0) === 0x90) return arr(t & 0x0f);
  if ((t & 0xe0) === 0xa0) return str(t & 0x1f);
  switch (t) {
    case 0xc0: return null;
    case 0xc2: return false;
    case 0xc3: return true;
    case 0xc4: return bin(rd(1, (p) => b.readUInt8(p)));
    case 0xc5: return bin(rd(2, (p) => b.readUInt16BE(p)));
    case 0xc6: return bin(rd(4, (p) => b.readUInt32BE(p)));
    case 0xca: return rd(4, (p) => b.readFloatBE(p));
    case 0xcb: return rd(8, (p) => b.readDoubleBE(p));
    case 0xcc: return rd(1, (p) => b.readUInt8(p));
    case 0xcd: return rd(2, (p) => b.readUInt16BE(p));
    case 0xce: return rd(4, (p) => b.readUInt32BE(p));
    case 0xcf: return big(rd(8, (p) => b.readBigUInt64BE(p)));
    case 0xd0: return rd(1, (p) => b.readInt8(p));
    case 0xd1: return rd(2, (p) => b.readInt16BE(p));
    case 0xd2: return rd(4, (p) => b.readInt32BE(p));
    case 0xd3: return big(rd(8, (p) => b.readBigInt64BE(p)));
    case 0xd9: return str(rd(1, (p) => b.readUInt8(p)));
    case 0xda: return str(rd(2, (p) => b.readUInt16BE(p)));
    case 0xdb: return str(rd(4, (p) => b.readUInt32BE(p)));
    case 0xdc: return arr(rd(2, (p) => b.readUInt16BE(p)));
    case 0xdd: return arr(rd(4, (p) => b.readUInt32BE(p)));
    case 0xde: return map(rd(2, (p) => b.readUInt16BE(p)));
    case 0xdf: return map(rd(4, (p) => b.readUInt32BE(p)));
    default: throw new Error(`msgpack: unsupported type byte 0x${t.toString(16)}`);
  }
}
