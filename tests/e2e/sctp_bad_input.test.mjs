// Bad SCTP and DataChannel input (issue 5), on one media daemon that also
// carries a browser pair's chat (two Chromium pages on the demo page, SCTP
// over DTLS):
//  - produceData with an invalid stream id (65535, -1, "1", 1.5, 65536,
//    null) or contradictory reliability options is refused with an error
//    that names the problem, over protoo and over the broadcaster API; a
//    duplicate stream id on one transport too;
//  - packets on a plain transport's established association that SCTP must
//    drop (bad CRC32c, wrong verification tag, shorter than a header, random
//    bytes) are dropped: the association carries on;
//  - packets with a valid CRC and tag but malformed chunks (truncated, chunk
//    length 0..3, length past the packet, DATA with no user data, a
//    truncated SACK/FORWARD-TSN/RE-CONFIG, an INIT with zero-length
//    parameters, unknown chunk types), and INITs with zero-length or
//    overlong parameters to a fresh transport: no crash;
//  - malformed DCEP (PPID 50: a truncated OPEN, lengths past the message,
//    an unknown message type) on an established association: ignored, data
//    keeps flowing on that association;
//  - a message over maxMessageSize sent by node-sctp is not delivered, and
//    the next message on the same stream is;
// and through all of it the daemon keeps running (its process alive, no
// sanitizer report in its log; at the end every process exits 0 on
// SIGTERM) and the browser pair keeps chatting.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { BroadcasterApi } from './lib/bcast_api.mjs';
import { dataMessages, openPeer, pageLogs, waitChatProducer, waitDataConsumers } from './lib/demo.mjs';
import { NodeCommander } from './lib/node_cmd.mjs';
import { NODE_DEVICE, newPeerId, ProtooPeer } from './lib/peers.mjs';
import {
  CHUNK, PPID, SctpEndpoint, chunk, dataChunk, dcepOpen, initChunk, param, parseSctp, rawUdp, sctpPacket,
} from './lib/sctp_endpoint.mjs';

let c;
let browser;
let api;
let node;
let a; // browser pages
let b;
const chats = {}; // page -> chat data producer id
const roomId = randomId(8);
const closers = [];
const wrap = (fn) => (t) => c.wrap(fn)(t);
const SCTP_CAPS = { numStreams: { OS: 1024, MIS: 1024 } };

before(async () => {
  c = await startCluster('sctp_bad_input', { controllers: 1, mediads: 1 });
  browser = await launchBrowser();
  [a, b] = await Promise.all(['alice', 'bob'].map((displayName) =>
    openPeer(browser, c.controllers[0], { roomId, displayName })));
  chats.a = await waitChatProducer(a);
  chats.b = await waitChatProducer(b);
  await waitDataConsumers(a, [chats.b]);
  await waitDataConsumers(b, [chats.a]);
  api = new BroadcasterApi(c.controllers[0], roomId);
  node = await NodeCommander.open(c, c.mediads[0]);
});

after(async () => {
  for (const f of closers) f();
  await Promise.all([a, b].map((p) => p?.close().catch(() => {})));
  await browser?.close();
  await c?.stop();
});

async function withLogs(fn) {
  try {
    return await fn();
  } catch (err) {
    console.log(pageLogs([a, b]));
    throw err;
  }
}

const mediad = () => c.mediads[0].proc;

// The daemon is still up and has printed no sanitizer report.
function daemonOk(what) {
  assert.ok(mediad().alive, `${what}: braid-mediad died (code=${mediad().exitCode} signal=${mediad().exitSignal})`);
  assert.ok(!mediad().sanitizerReport(), `${what}: braid-mediad printed a sanitizer report`);
}

// The browser pair still chats both ways (over their own SCTP associations
// on the same daemon).
async function pairChats(what) {
  const tag = `${what} ${randomId(4)}`;
  await a.evaluate((s) => window.braidDemo.chat.send(s), `${tag} a→b`);
  await b.evaluate((s) => window.braidDemo.chat.send(s), `${tag} b→a`);
  await waitFor(async () => (await dataMessages(b)).some((m) => m.text === `${tag} a→b`),
                { timeoutMs: 8000, what: `bob to receive alice's chat after ${what}` });
  await waitFor(async () => (await dataMessages(a)).some((m) => m.text === `${tag} b→a`),
                { timeoutMs: 8000, what: `alice to receive bob's chat after ${what}` });
}

const path = (bid, tid, rest) => `/broadcasters/${bid}/transports/${tid}/${rest}`;

// A broadcaster, a comedia plain transport with SCTP and a node-sctp
// endpoint associated with it; a 'chat' data producer on stream dpStream
// (consumed by both pages); a data consumer of alice's chat.
async function sctpPeer({ dpStream = 3 } = {}) {
  const bid = `bad-${randomId(6)}`;
  await api.createBroadcaster(bid, { displayName: bid, device: { name: 'node-sctp' } });
  const t = await api.createPlain(bid, { comedia: true, rtcpMux: true, sctpCapabilities: SCTP_CAPS });
  assert.ok(t.sctpParameters, `sctpParameters: ${JSON.stringify(t)}`);
  const ep = await SctpEndpoint.bind();
  closers.push(() => ep.close());
  await ep.associate({ ip: t.ip, port: t.port, OS: t.sctpParameters.OS, MIS: t.sctpParameters.MIS });
  const dp = await api.ok('POST', path(bid, t.id, 'produce/data'), {
    label: 'chat', protocol: '', sctpStreamParameters: { streamId: dpStream, ordered: true }, appData: { channel: 'chat' },
  });
  await waitDataConsumers(a, [dp.id]);
  await waitDataConsumers(b, [dp.id]);
  const dc = await api.ok('POST', path(bid, t.id, 'consume/data'), { dataProducerId: chats.a });
  return { bid, t, ep, dp, dc, dpStream };
}

// node-sctp → alice, and alice → node-sctp, on that peer's association.
async function peerCarries(p, what) {
  const text = `${what} ${randomId(4)}`;
  await p.ep.send(p.dpStream, text);
  await waitFor(async () => (await dataMessages(a)).some((m) => m.dataProducerId === p.dp.id && m.text === text),
                { timeoutMs: 8000, what: `alice to receive "${text}" from node-sctp`,
                  detail: () => `endpoint errors: ${p.ep.errors.join('; ') || 'none'}, ended: ${p.ep.ended}` });
  const back = `${what} back ${randomId(4)}`;
  await a.evaluate((s) => window.braidDemo.chat.send(s), back);
  await p.ep.waitMessages((m) => m.streamId === p.dc.streamId && m.data.toString() === back, 1,
                          { timeoutMs: 8000, what: `node-sctp to receive "${back}"` });
}

async function sendAll(send, packets) {
  for (const pkt of packets) {
    await send(pkt);
    await sleep(2);
  }
}

// ---- invalid produceData ------------------------------------------------------

const BAD_STREAM_IDS = [65535, -1, '1', 1.5, 65536, null];

test('produceData (protoo) with an invalid stream id or contradictory options is refused with a clear error',
     { timeout: 20000 }, wrap(async (t) => {
  const peer = await ProtooPeer.connect(c.controllers[0].wsUrl(roomId, newPeerId()));
  closers.push(() => peer.close());
  await peer.request('getRouterRtpCapabilities');
  const tr = await peer.request('createWebRtcTransport', {
    forceTcp: false, appData: { direction: 'producer' }, sctpCapabilities: SCTP_CAPS,
  });
  assert.ok(tr.sctpParameters, 'the transport has SCTP');
  const recv = await peer.request('createWebRtcTransport', {
    forceTcp: false, appData: { direction: 'consumer' }, sctpCapabilities: SCTP_CAPS,
  });
  await peer.request('join', { displayName: 'bad-input', device: NODE_DEVICE, sctpCapabilities: SCTP_CAPS });
  // The chat rule: the new peer is asked to consume alice's and bob's chat
  // (newDataConsumer, current dialect), on its consuming transport, with
  // distinct server-chosen stream ids; getDataConsumerStats answers.
  const ndcs = await Promise.all([chats.a, chats.b].map((id) => peer.serverRequests.wait(
    (r) => r.method === 'newDataConsumer' && r.data.dataProducerId === id, 10000, `newDataConsumer of ${id}`)));
  for (const r of ndcs) {
    assert.equal(r.data.transportId, recv.transportId, `newDataConsumer on the consuming transport: ${JSON.stringify(r.data)}`);
    assert.equal(r.data.label, 'chat');
    assert.ok(Number.isInteger(r.data.sctpStreamParameters?.streamId) && r.data.sctpStreamParameters.streamId < 1024);
  }
  assert.notEqual(ndcs[0].data.sctpStreamParameters.streamId, ndcs[1].data.sctpStreamParameters.streamId,
                  'distinct stream ids in one association');
  const dcStats = await peer.request('getDataConsumerStats', { dataConsumerId: ndcs[0].data.dataConsumerId });
  const [ds] = dcStats.stats ?? dcStats;
  assert.equal(ds?.type, 'data-consumer', `getDataConsumerStats: ${JSON.stringify(dcStats)}`);
  assert.equal(ds.label, 'chat');
  const produceData = (sctpStreamParameters) => peer.request('produceData', {
    transportId: tr.transportId, sctpStreamParameters, label: 'bad-input', protocol: '', appData: { channel: 'test' },
  });
  const refused = async (params, re, what) => {
    let err;
    try {
      const r = await produceData(params);
      assert.fail(`${what}: produceData ${JSON.stringify(params)} was accepted: ${JSON.stringify(r)}`);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      err = e;
    }
    assert.match(err.message, re, `${what}: the error names the problem`);
    t.diagnostic(`${what}: ${err.message}`);
  };
  for (const id of BAD_STREAM_IDS) {
    await refused({ streamId: id, ordered: true }, /streamId|stream id/i, `streamId ${JSON.stringify(id)}`);
  }
  await refused({ ordered: true }, /streamId/, 'no streamId');
  await refused({ streamId: 1, maxRetransmits: 1, maxPacketLifeTime: 100 }, /both/, 'maxRetransmits and maxPacketLifeTime');
  await refused({ streamId: 1, ordered: true, maxRetransmits: 1 }, /ordered/, 'ordered with maxRetransmits');
  const ok = await produceData({ streamId: 5, ordered: true });
  assert.equal(typeof ok.dataProducerId, 'string', `streamId 5 is accepted: ${JSON.stringify(ok)}`);
  await refused({ streamId: 5, ordered: true }, /stream|exists|use/i, 'streamId 5 again on the same transport');
  const stats = await peer.request('getDataProducerStats', { dataProducerId: ok.dataProducerId });
  const [s] = stats.stats ?? stats;
  assert.equal(s?.type, 'data-producer', `getDataProducerStats: ${JSON.stringify(stats)}`);
  assert.equal(s.label, 'bad-input');
  assert.equal(s.messagesReceived, 0);
  daemonOk('invalid produceData');
}));

test('produce/data (broadcaster API) with an invalid stream id is refused with a clear error', { timeout: 20000 },
     wrap(async (t) => {
  const bid = `bad-api-${randomId(6)}`;
  await api.createBroadcaster(bid, { displayName: bid, device: { name: 'node-sctp' } });
  const tr = await api.createPlain(bid, { comedia: true, rtcpMux: true, sctpCapabilities: SCTP_CAPS });
  for (const id of BAD_STREAM_IDS) {
    const r = await api.call('POST', path(bid, tr.id, 'produce/data'), {
      label: 'bad-input', protocol: '', sctpStreamParameters: { streamId: id, ordered: true },
    });
    assert.ok(r.status === 400 || r.status === 500, `streamId ${JSON.stringify(id)}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    assert.match(String(typeof r.body === 'string' ? r.body : JSON.stringify(r.body)), /streamId|stream id/i,
                 `streamId ${JSON.stringify(id)}: the error names streamId`);
    t.diagnostic(`streamId ${JSON.stringify(id)}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  }
  const ok = await api.call('POST', path(bid, tr.id, 'produce/data'), {
    label: 'bad-input', protocol: '', sctpStreamParameters: { streamId: 9, ordered: true },
  });
  assert.equal(ok.status, 200, `streamId 9 accepted: ${JSON.stringify(ok)}`);
  const dup = await api.call('POST', path(bid, tr.id, 'produce/data'), {
    label: 'bad-input', protocol: '', sctpStreamParameters: { streamId: 9, ordered: true },
  });
  assert.ok(dup.status >= 400, `streamId 9 twice is refused: HTTP ${dup.status} ${JSON.stringify(dup.body)}`);
  await api.deleteBroadcaster(bid);
  daemonOk('invalid produce/data');
  await pairChats('invalid produce/data');
}));

// ---- raw SCTP -------------------------------------------------------------------

let peer1; // the association the raw tests pick on

test('packets SCTP must drop (bad CRC32c, wrong tag, short, random) leave the association working',
     { timeout: 30000 }, wrap((t) => withLogs(async () => {
  peer1 = await sctpPeer();
  await peerCarries(peer1, 'before garbage');
  const { peer: vtag } = peer1.ep.tags;
  assert.ok(Number.isInteger(vtag) && vtag !== 0, `node-sctp knows the daemon's verification tag (${vtag})`);
  const data = (o = {}) => dataChunk({ tsn: 0x7fffff00, streamId: peer1.dpStream, ppid: PPID.STRING,
                                       payload: Buffer.from('garbage'), ...o });
  const packets = [
    sctpPacket({ vtag, chunks: [data()], crc: 'bad' }),
    sctpPacket({ vtag, chunks: [data()], crc: 0 }),
    sctpPacket({ vtag: (vtag ^ 0x5a5a5a5a) >>> 0, chunks: [data()] }),
    sctpPacket({ vtag: 0, chunks: [data()] }), // tag 0 is for INIT only
    sctpPacket({ vtag, chunks: [chunk(CHUNK.ABORT, 0)], crc: 'bad' }), // an ABORT with a bad CRC
    sctpPacket({ vtag: (vtag + 1) >>> 0, chunks: [chunk(CHUNK.ABORT, 0)] }), // and with a wrong tag
    sctpPacket({ vtag: (vtag + 1) >>> 0, chunks: [chunk(CHUNK.SHUTDOWN, 0, Buffer.alloc(4))] }),
    Buffer.from([0x13, 0x88, 0x13, 0x88]), // ports only
    Buffer.from([0x13, 0x88, 0x13, 0x88, 0, 0, 0, 0, 0, 0, 0]), // 11 bytes
    Buffer.concat([Buffer.from([0x13, 0x88, 0x13, 0x88]), randomBytes(200)]),
    sctpPacket({ srcPort: 5001, vtag, chunks: [data()] }), // not SCTP port 5000
    sctpPacket({ dstPort: 9, vtag, chunks: [data()] }),
    randomBytes(1),
    randomBytes(1500),
    Buffer.alloc(0),
  ];
  for (let i = 0; i < 50; i++) packets.push(Buffer.concat([Buffer.from([0x13, 0x88, 0x13, 0x88]), randomBytes(8 + i * 17)]));
  await sendAll((p) => peer1.ep.rawSend(p), packets);
  await sleep(300);
  daemonOk('packets SCTP drops');
  assert.ok(!peer1.ep.ended, 'the daemon did not end the association');
  await peerCarries(peer1, 'after garbage');
  await pairChats('packets SCTP drops');
  t.diagnostic(`${packets.length} packets sent from the association's own tuple; it still carries data both ways`);
})));

test('malformed chunks with a valid CRC and tag, and malformed INITs, do not crash the daemon', { timeout: 40000 },
     wrap((t) => withLogs(async () => {
  assert.ok(peer1, 'the previous test set up the association');
  const { peer: vtag } = peer1.ep.tags;
  const pkt = (chunks) => sctpPacket({ vtag, chunks });
  const raw = (type, flags, value, length) => chunk(type, flags, value, { length, pad: false });
  const data = (o = {}) => dataChunk({ tsn: 0x7fffff00, streamId: peer1.dpStream, payload: Buffer.from('m'), ...o });
  const zeroParams = [param(0x0005, Buffer.alloc(0), { length: 0 }), param(0x000c, Buffer.alloc(0), { length: 0 })];
  const packets = [
    pkt([data({ length: 10 })]), // truncated DATA (length below its header)
    pkt([data({ length: 400 })]), // length past the packet
    pkt([data({ length: 0xffff })]),
    pkt([raw(CHUNK.SACK, 0, Buffer.alloc(4), 8)]), // truncated SACK
    pkt([raw(CHUNK.SACK, 0, Buffer.from([0, 0, 0, 1, 0, 0, 0x10, 0, 0xff, 0xff, 0xff, 0xff]), 16)]), // 65535 gap blocks claimed
    pkt([raw(CHUNK.HEARTBEAT, 0, Buffer.from([0, 1, 0, 40, 1, 2, 3, 4]))]), // heartbeat info longer than the chunk
    pkt([raw(CHUNK.FORWARD_TSN, 0, Buffer.from([0, 0, 0, 9, 0, 1]))]), // odd FORWARD-TSN
    pkt([raw(CHUNK.RE_CONFIG, 0, Buffer.concat([param(13, Buffer.alloc(12), { length: 2000 })]))]), // RE-CONFIG param past the chunk
    pkt([raw(CHUNK.RE_CONFIG, 0, Buffer.concat([param(13, Buffer.alloc(0), { length: 0 })]))]),
    pkt([raw(CHUNK.ERROR, 0, Buffer.from([0, 1, 0, 0]))]), // cause of length 0
    pkt([raw(CHUNK.COOKIE_ECHO, 0, randomBytes(3))]), // a forged cookie
    pkt([raw(0x3f, 0, Buffer.alloc(0), 0)]), // chunk length 0
    pkt([raw(0x3f, 0, Buffer.alloc(0), 3)]), // chunk length 3
    pkt([raw(0xff, 0xff, randomBytes(30))]), // unknown type, "skip and report" bits
    pkt([raw(0x7f, 0, randomBytes(30))]), // unknown type, "stop, do not report"
    pkt([data(), raw(0x3f, 0, Buffer.alloc(0), 2), data({ tsn: 0x7fffff01 })]),
    sctpPacket({ vtag: 0, chunks: [initChunk({ params: zeroParams })] }), // INIT (restart) with zero-length params
    sctpPacket({ vtag: 0, chunks: [initChunk({ os: 0, mis: 0, initiateTag: 0 })] }),
  ];
  // Last, DATA chunks without user data: RFC 9260 §6.2 has the receiver
  // abort the association ("No User Data"), so they may end it.
  const aborting = [
    pkt([raw(CHUNK.DATA, 3, Buffer.alloc(0))]), // DATA chunk of 4 bytes
    pkt([data({ payload: Buffer.alloc(0) })]), // DATA with no user data (length 16)
  ];
  const seen = peer1.ep.rawIn.length;
  await sendAll((p) => peer1.ep.rawSend(p), packets);
  await sleep(300);
  daemonOk('malformed chunks');
  const upAfterMalformed = !peer1.ep.ended;
  await sendAll((p) => peer1.ep.rawSend(p), aborting);
  await sleep(300);
  daemonOk('DATA without user data');
  const replies = peer1.ep.rawIn.slice(seen).map(parseSctp).filter(Boolean);
  t.diagnostic(`${packets.length} malformed packets on the association: it was ${upAfterMalformed ? 'still up' : 'ended'} ` +
               `after them; then ${aborting.length} DATA without user data: ${peer1.ep.ended ? 'ended' : 'still up'}; ` +
               `the daemon answered with chunk types ${[...new Set(replies.flatMap((r) => r.chunks.map((x) => x.type)))].join(',')}`);

  // INITs to a fresh transport (no association yet): zero-length params,
  // a parameter longer than the chunk, a chunk shorter than an INIT.
  const bid = `bad-init-${randomId(6)}`;
  await api.createBroadcaster(bid, { displayName: bid, device: { name: 'raw' } });
  const tr = await api.createPlain(bid, { comedia: true, rtcpMux: true, sctpCapabilities: SCTP_CAPS });
  const sock = await rawUdp(tr.ip, tr.port);
  closers.push(() => sock.close());
  const inits = [
    sctpPacket({ vtag: 0, chunks: [initChunk({ params: zeroParams })] }),
    sctpPacket({ vtag: 0, chunks: [initChunk({ params: [param(0x8000, Buffer.alloc(4), { length: 300 })] })] }),
    sctpPacket({ vtag: 0, chunks: [initChunk({ params: [param(0x0006, Buffer.alloc(0))] })] }), // IPv6 address, empty
    sctpPacket({ vtag: 0, chunks: [initChunk({ length: 8 })] }), // INIT shorter than its fixed part
    sctpPacket({ vtag: 0, chunks: [initChunk({ initiateTag: 0 })] }), // initiate tag 0 is invalid
    sctpPacket({ vtag: 0, chunks: [initChunk({ os: 0, mis: 0 })] }), // no streams
    sctpPacket({ vtag: 0, chunks: [initChunk(), initChunk()] }), // INIT bundled with another chunk
    sctpPacket({ vtag: 0x1234, chunks: [initChunk()] }), // INIT with a nonzero tag
    sctpPacket({ vtag: 0, chunks: [raw(CHUNK.COOKIE_ECHO, 0, randomBytes(200))] }), // forged COOKIE ECHO
    sctpPacket({ vtag: 0, chunks: [raw(CHUNK.INIT_ACK, 0, randomBytes(40))] }), // an INIT-ACK out of the blue
  ];
  await sendAll((p) => sock.send(p), inits);
  await sleep(500);
  daemonOk('malformed INITs');
  t.diagnostic(`${inits.length} malformed INITs to a fresh transport; ${sock.rawIn.length} datagram(s) back ` +
               `(chunk types ${[...new Set(sock.rawIn.map(parseSctp).filter(Boolean).flatMap((r) => r.chunks.map((x) => x.type)))].join(',')})`);
  await api.deleteBroadcaster(bid);
  await pairChats('malformed chunks');
  // A new association on the same daemon works end to end.
  const fresh = await sctpPeer({ dpStream: 4 });
  await peerCarries(fresh, 'fresh association');
})));

test('malformed DCEP (PPID 50) is ignored; the association keeps carrying data', { timeout: 30000 },
     wrap((t) => withLogs(async () => {
  const p = await sctpPeer({ dpStream: 6 });
  await peerCarries(p, 'before DCEP');
  const dcep = [
    Buffer.from([0x03]), // OPEN, nothing else
    dcepOpen().subarray(0, 11), // header cut short
    dcepOpen({ label: 'ab', labelLength: 100 }), // label length past the message
    dcepOpen({ label: 'ab', protocol: 'p', protocolLength: 0xffff }),
    dcepOpen({ labelLength: 0xffff, protocolLength: 0xffff, label: '' }),
    dcepOpen({ channelType: 0x7e }), // unknown channel type
    Buffer.from([0x07, 1, 2, 3]), // unknown message type
    Buffer.from([0x02, 0xff]), // ACK with trailing bytes
    Buffer.from([0x00]),
  ];
  // On unused streams, and on the data producer's own stream.
  for (const streamId of [11, 12, p.dpStream]) {
    for (const msg of dcep) await p.ep.send(streamId, msg, { ppid: PPID.DCEP });
  }
  // A well-formed OPEN on an unused stream: an answer (ACK) is allowed,
  // nothing more is required.
  await p.ep.send(13, dcepOpen({ label: 'opened-by-node' }), { ppid: PPID.DCEP });
  // Other PPIDs a data channel never uses.
  await p.ep.send(p.dpStream, 'ppid 0', { ppid: 0 });
  await p.ep.send(p.dpStream, 'ppid 52', { ppid: 52 });
  await sleep(300);
  daemonOk('malformed DCEP');
  assert.ok(!p.ep.ended, 'the association is still up');
  await peerCarries(p, 'after DCEP');
  const acks = p.ep.messages.filter((m) => m.ppid === PPID.DCEP);
  t.diagnostic(`${dcep.length * 3 + 1} DCEP messages sent; the daemon sent ${acks.length} DCEP message(s) back ` +
               `(${acks.map((m) => `stream ${m.streamId}: ${m.data.toString('hex')}`).join(', ') || 'none'})`);
  // What else alice got from this data producer (for the record: the
  // PPID 0 and 52 messages may be forwarded or dropped; nothing requires
  // either).
  const extra = (await dataMessages(a)).filter((m) => m.dataProducerId === p.dp.id && !/ DCEP /.test(m.text ?? ''));
  t.diagnostic(`besides the checks, alice got ${extra.length} message(s) from this data producer: ` +
               `${extra.map((m) => `${m.type} ${m.len} bytes${m.text !== undefined ? ` "${m.text}"` : ''}`).join(', ') || 'none'}`);
  await pairChats('malformed DCEP');
})));

test('a message over maxMessageSize is not delivered; the next one on the stream is', { timeout: 40000 },
     wrap((t) => withLogs(async () => {
  const p = await sctpPeer({ dpStream: 8 });
  const max = p.t.sctpParameters.maxMessageSize;
  assert.equal(max, 262144, 'mediasoup default maxMessageSize');
  await peerCarries(p, 'before oversize');
  const [before0] = await node.stats('data_producer', p.dp.id);
  const big = randomBytes(max + 8192);
  await p.ep.send(p.dpStream, big, { noWait: true });
  const after = `after oversize ${randomId(4)}`;
  await p.ep.send(p.dpStream, after, { noWait: true });
  await waitFor(async () => (await dataMessages(a)).some((m) => m.dataProducerId === p.dp.id && m.text === after),
                { timeoutMs: 25000, what: `alice to receive "${after}" (sent after the oversize message)`,
                  detail: () => `endpoint errors: ${p.ep.errors.join('; ') || 'none'}, ended: ${p.ep.ended}` });
  for (const page of [a, b]) {
    const bigOnes = (await dataMessages(page)).filter((m) => m.dataProducerId === p.dp.id && m.type !== 'string');
    assert.deepEqual(bigOnes.map((m) => m.len), [], `${page.displayName} got no binary message from this producer`);
  }
  const [after0] = await node.stats('data_producer', p.dp.id);
  assert.equal(after0.messagesReceived, before0.messagesReceived + 1,
               `the data producer counts only the message after the oversize one (${JSON.stringify(after0)})`);
  daemonOk('oversize message');
  await pairChats('oversize message');
  t.diagnostic(`a ${big.length}-byte message (max ${max}) was dropped; "${after}" arrived`);
})));

test('every process exits cleanly on SIGTERM (no crash, no sanitizer report)', { timeout: 30000 }, async () => {
  for (const f of closers) f();
  await Promise.all([a, b].map((p) => p?.close().catch(() => {})));
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
