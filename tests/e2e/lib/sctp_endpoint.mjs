// SCTP over plain UDP for the end-to-end tests:
//  - SctpEndpoint: npm `sctp` (node-sctp 1.0.0) on a dgram socket on
//    127.0.0.1, as mediasoup's own node/src/test/test-node-sctp.ts uses it:
//    SCTP ports 5000 on both sides, one SCTP packet per UDP datagram, the
//    PPID of each message carried on the Buffer (`buf.ppid`);
//  - a raw SCTP packet builder (common header, CRC32c, INIT, DATA and any
//    other chunk, DCEP messages) for malformed-input tests, sent from the
//    endpoint's own socket so that they reach the association.
import dgram from 'node:dgram';
import { createRequire } from 'node:module';

import { HOST, waitFor } from './cluster.mjs';

let sctp;
try {
  sctp = createRequire(import.meta.url)('sctp');
} catch (err) {
  // Fail loudly (never skip): the tests that import this need node-sctp.
  throw new Error(`the npm package "sctp" (node-sctp 1.0.0, a devDependency) cannot be loaded (${err.message}): ` +
                  'run npm ci in the repository root (tools/braid-dev test does it)');
}

// SCTP port of both ends of SCTP over UDP (mediasoup's SctpAssociation).
export const SCTP_PORT = 5000;

// WebRTC PPIDs (RFC 8831 §8, RFC 8832).
export const PPID = Object.freeze({ DCEP: 50, STRING: 51, BINARY: 53, STRING_EMPTY: 56, BINARY_EMPTY: 57 });

// node-sctp's defaults are for telephony: a 3 s initial RTO and a 1500-byte
// PMTU. mediasoup's test sets PMTU 1200; a shorter RTO only makes a lost
// INIT cost less time.
sctp.defaults({ PMTU: 1200, rto_initial: 1000, rto_min: 300 });

export class SctpEndpoint {
  // Binds a UDP socket on 127.0.0.1 (port chosen by the kernel). The
  // association starts with associate().
  static async bind() {
    const ep = new SctpEndpoint();
    await new Promise((resolve, reject) => {
      ep.udp.once('error', reject);
      ep.udp.bind(0, HOST, () => {
        ep.udp.off('error', reject);
        resolve();
      });
    });
    ep.localPort = ep.udp.address().port;
    return ep;
  }

  constructor() {
    this.udp = dgram.createSocket('udp4');
    this.udp.on('error', (err) => this.errors.push(`udp: ${err.message}`));
    this.rawIn = []; // every datagram received (Buffers), for raw tests
    this.udp.on('message', (m) => this.rawIn.push(Buffer.from(m)));
    this.messages = []; // {streamId, ppid, data (Buffer), at}
    this.errors = [];
    this.ended = false;
    this.socket = null;
  }

  // Connects the UDP socket to the transport's ip:port and sets up the
  // association: passive false (default), node-sctp sends INIT at once;
  // passive true, it waits for the other side's INIT (node-sctp cannot
  // resolve an INIT collision over UDP: both sides must not start). Resolves
  // once the association is up, with {OS, MIS}.
  async associate({ ip, port, OS = 1024, MIS = 1024, passive = false, timeoutMs = 10000 }) {
    this.remote = { ip, port };
    await new Promise((resolve, reject) => this.udp.connect(port, ip, (err) => (err ? reject(err) : resolve())));
    const socket = sctp.connect({
      localPort: SCTP_PORT, port: SCTP_PORT, OS, MIS, passive, udpTransport: this.udp,
      // node-sctp advertises its readable high-water mark as its a_rwnd.
      readableHighWaterMark: 4 * 1024 * 1024,
    });
    this.socket = socket;
    socket.on('error', (err) => this.errors.push(`sctp: ${err?.message ?? 'COMMUNICATION ERROR'}`));
    socket.on('end', () => {
      this.ended = true;
    });
    // Data also goes to the socket's own readable side: let it flow away.
    socket.resume();
    let timer;
    await Promise.race([
      new Promise((resolve) => socket.once('connect', resolve)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(
          `SCTP association (${passive ? 'passive' : 'active'}) with ${ip}:${port} not up within ${timeoutMs} ms ` +
          `(${this.rawIn.length} datagrams received; errors: ${this.errors.join('; ') || 'none'})`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    // Every message, with its stream id and PPID, in arrival order: the
    // socket's 'DATA ARRIVE' handler calls RECEIVE(streamId) once per
    // reassembled message (a Readable per stream could merge messages, so
    // take them here).
    const assoc = socket.association;
    const receive = assoc.RECEIVE.bind(assoc);
    assoc.RECEIVE = (streamId) => {
      const buf = receive(streamId);
      if (buf) this.messages.push({ streamId, ppid: buf.ppid, data: Buffer.from(buf), at: Date.now() });
      return buf;
    };
    return { OS: socket.OS, MIS: socket.MIS };
  }

  // The verification tags: ours, and the peer's (the one a packet to the
  // peer must carry).
  get tags() {
    const a = this.socket?.association;
    return { mine: a?.my_tag, peer: a?.peer_tag };
  }

  // Sends one message on streamId. data: a string (PPID 51, or 56 with one
  // zero byte when empty) or a Buffer (PPID 53, or 57 when empty); ppid
  // overrides. Resolves when node-sctp has taken it (its congestion window
  // allows the next one); with noWait at once (node-sctp never reports a
  // message larger than the peer's a_rwnd as taken, though it sends it).
  send(streamId, data, { ppid, unordered = false, noWait = false, timeoutMs = 10000 } = {}) {
    if (!this.socket?.association) return Promise.reject(new Error('no SCTP association'));
    let buf;
    if (typeof data === 'string') {
      buf = data.length ? Buffer.from(data, 'utf8') : Buffer.from([0]);
      ppid ??= data.length ? PPID.STRING : PPID.STRING_EMPTY;
    } else {
      buf = data.length ? Buffer.from(data) : Buffer.from([0]);
      ppid ??= data.length ? PPID.BINARY : PPID.BINARY_EMPTY;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node-sctp did not take a ${buf.length}-byte message ` +
                                                      `on stream ${streamId} within ${timeoutMs} ms`)), timeoutMs);
      this.socket.sendToAssociation(buf, { stream_id: streamId, ppid, unordered }, (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
      if (noWait) {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  // Waits until the messages matching pred number at least n; returns them.
  waitMessages(pred, n = 1, { timeoutMs = 10000, what = 'SCTP messages' } = {}) {
    return waitFor(() => {
      const got = this.messages.filter(pred);
      return got.length >= n && got;
    }, { timeoutMs, what: `${n} ${what}`,
         detail: () => `${this.messages.length} message(s): ${JSON.stringify(this.messages.slice(-10).map(
           (m) => ({ streamId: m.streamId, ppid: m.ppid, len: m.data.length, head: m.data.subarray(0, 32).toString() })))}; ` +
           `errors: ${this.errors.join('; ') || 'none'}; ended: ${this.ended}` });
  }

  // Sends a raw datagram from this endpoint's socket (to the connected
  // transport tuple).
  rawSend(buf) {
    return new Promise((resolve, reject) => this.udp.send(buf, (err) => (err ? reject(err) : resolve())));
  }

  close() {
    try {
      this.socket?.destroy();
    } catch {
      // node-sctp's destroy throws when no association came up
    }
    try {
      this.udp.close();
    } catch {
      // already closed
    }
  }
}

// A bare UDP socket connected to ip:port that sends raw datagrams (no SCTP
// stack behind it), recording what comes back.
export async function rawUdp(ip, port) {
  const udp = dgram.createSocket('udp4');
  const rawIn = [];
  udp.on('message', (m) => rawIn.push(Buffer.from(m)));
  udp.on('error', () => {});
  await new Promise((resolve) => udp.bind(0, HOST, resolve));
  if (ip) await new Promise((resolve, reject) => udp.connect(port, ip, (err) => (err ? reject(err) : resolve())));
  return {
    udp, rawIn, localPort: udp.address().port,
    connect: (ip2, port2) => new Promise((resolve, reject) => udp.connect(port2, ip2, (err) => (err ? reject(err) : resolve()))),
    send: (buf) => new Promise((resolve, reject) => udp.send(buf, (err) => (err ? reject(err) : resolve()))),
    close: () => {
      try {
        udp.close();
      } catch {
        // already closed
      }
    },
  };
}

// ---- raw SCTP packets (RFC 9260) ---------------------------------------------

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC32C_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const CHUNK = Object.freeze({
  DATA: 0, INIT: 1, INIT_ACK: 2, SACK: 3, HEARTBEAT: 4, HEARTBEAT_ACK: 5, ABORT: 6, SHUTDOWN: 7,
  SHUTDOWN_ACK: 8, ERROR: 9, COOKIE_ECHO: 10, COOKIE_ACK: 11, SHUTDOWN_COMPLETE: 14,
  FORWARD_TSN: 192, RE_CONFIG: 130,
});

// A chunk: type, flags, value. length: the length field (default: 4 +
// value length, the real one); padded to 4 bytes unless pad is false.
export function chunk(type, flags, value = Buffer.alloc(0), { length, pad = true } = {}) {
  const h = Buffer.alloc(4);
  h[0] = type;
  h[1] = flags;
  h.writeUInt16BE(length ?? 4 + value.length, 2);
  const body = Buffer.concat([h, value]);
  const padLen = pad ? (4 - (body.length % 4)) % 4 : 0;
  return Buffer.concat([body, Buffer.alloc(padLen)]);
}

// A parameter (TLV) of INIT/INIT-ACK/RE-CONFIG; length as for chunk().
export function param(type, value = Buffer.alloc(0), { length, pad = true } = {}) {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length ?? 4 + value.length, 2);
  const body = Buffer.concat([h, value]);
  const padLen = pad ? (4 - (body.length % 4)) % 4 : 0;
  return Buffer.concat([body, Buffer.alloc(padLen)]);
}

// INIT: initiate tag, a_rwnd, OS, MIS, initial TSN, then params.
export function initChunk({ initiateTag = 0x1234567, arwnd = 131072, os = 1024, mis = 1024,
                            initialTsn = 1, params = [], length } = {}) {
  const v = Buffer.alloc(16);
  v.writeUInt32BE(initiateTag >>> 0, 0);
  v.writeUInt32BE(arwnd >>> 0, 4);
  v.writeUInt16BE(os, 8);
  v.writeUInt16BE(mis, 10);
  v.writeUInt32BE(initialTsn >>> 0, 12);
  return chunk(CHUNK.INIT, 0, Buffer.concat([v, ...params]), { length });
}

// DATA: flags default B|E (a whole message), U (unordered) optional.
export function dataChunk({ tsn = 1, streamId = 0, ssn = 0, ppid = PPID.STRING, payload = Buffer.from('x'),
                            flags = 0x03, length } = {}) {
  const v = Buffer.alloc(12);
  v.writeUInt32BE(tsn >>> 0, 0);
  v.writeUInt16BE(streamId & 0xffff, 4);
  v.writeUInt16BE(ssn & 0xffff, 6);
  v.writeUInt32BE(ppid >>> 0, 8);
  return chunk(CHUNK.DATA, flags, Buffer.concat([v, payload]), { length });
}

// A whole packet: common header (ports 5000 by default), verification tag,
// chunks; crc: 'good' (default), 'bad' (the good one plus 1), or a number.
export function sctpPacket({ srcPort = SCTP_PORT, dstPort = SCTP_PORT, vtag = 0, chunks = [], crc = 'good' } = {}) {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt32BE(vtag >>> 0, 4);
  const p = Buffer.concat([h, ...chunks]);
  const good = crc32c(p);
  const value = crc === 'good' ? good : crc === 'bad' ? (good + 1) >>> 0 : crc >>> 0;
  p.writeUInt32LE(value, 8); // the CRC32c goes in little-endian byte order
  return p;
}

// Parses the common header and chunk list of a received packet (for
// assertions and failure messages): {srcPort, dstPort, vtag, crcOk, chunks:
// [{type, flags, length}]}, or null if shorter than a header.
export function parseSctp(buf) {
  if (buf.length < 12) return null;
  const copy = Buffer.from(buf);
  const crc = copy.readUInt32LE(8);
  copy.writeUInt32LE(0, 8);
  const out = { srcPort: buf.readUInt16BE(0), dstPort: buf.readUInt16BE(2), vtag: buf.readUInt32BE(4),
                crcOk: crc32c(copy) === crc, chunks: [] };
  for (let off = 12; off + 4 <= buf.length;) {
    const length = buf.readUInt16BE(off + 2);
    out.chunks.push({ type: buf[off], flags: buf[off + 1], length });
    if (length < 4) break;
    off += length + ((4 - (length % 4)) % 4);
  }
  return out;
}

// ---- DCEP (RFC 8832) ----------------------------------------------------------

// DATA_CHANNEL_OPEN (message type 0x03). labelLength/protocolLength
// override the length fields (to lie about them).
export function dcepOpen({ channelType = 0x00, priority = 256, reliability = 0, label = 'chat', protocol = '',
                           labelLength, protocolLength } = {}) {
  const l = Buffer.from(label, 'utf8');
  const p = Buffer.from(protocol, 'utf8');
  const h = Buffer.alloc(12);
  h[0] = 0x03;
  h[1] = channelType;
  h.writeUInt16BE(priority, 2);
  h.writeUInt32BE(reliability >>> 0, 4);
  h.writeUInt16BE(labelLength ?? l.length, 8);
  h.writeUInt16BE(protocolLength ?? p.length, 10);
  return Buffer.concat([h, l, p]);
}

export const DCEP_ACK = Buffer.from([0x02]);
