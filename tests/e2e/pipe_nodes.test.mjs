// Pipe transports between media daemons (issue 6), driven node by node as a
// controller would drive them (NodeCommander: raw commands on each node's
// stream), with real media: one room over three media daemons A, B and C
// on loopback, a relay tree origin → relay → edge.
//
//   FFmpeg --Opus+VP8--> A: plain transports (comedia) -> producers pa, pv
//   A: pipe pAB --pipe consumers--> ===SRTP AEAD_AES_256_GCM=== B: pipe pBA
//   B: piped producers pa, pv (same ids) -> pipe pBC --pipe consumers-->
//      ===plain RTP=== C: pipe pCB -> piped producers pa, pv
//   C: plain transports -> consumers -> GStreamer (decodes VP8 frames) and
//      a UDP socket (counts the Opus packets)
//
// Then: the pipe's getStats and the node's pipes hash
// (<prefix>node:<id>:pipes) and node hash (pipe_transports, max_consumers);
// C's --max-consumers 2; a data producer of a node-sctp endpoint on A piped
// to B (data consumer on A's pipe, data producer with the same id and that
// stream on B's pipe) and consumed there by a second node-sctp endpoint;
// pausing the producer on all three hops stops the picture while the pipes
// keep flowing, and resuming brings it back; closing as a controller would
// (producer.close hop by hop, transport.close of both ends of a pipe)
// closes what hangs off them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { HOST, randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import {
  checkMediaTools, countFrames, ffmpegTeeArgs, freeUdpPorts, gstRtpRecvArgs, makeMediaFile, startGstReceiver,
  toolScope, waitForFrames,
} from './lib/media_tools.mjs';
import { NodeCommander } from './lib/node_cmd.mjs';
import { PPID, SctpEndpoint } from './lib/sctp_endpoint.mjs';

let c;
let A;
let B;
let C; // {node, nc, router}
let tools;
let gst; // the GStreamer receiver on C's video consumer
let rtcpSock; // C's video consumer's RTCP (rtcp-mux off)
let audioSock; // C's audio consumer
const audioIn = []; // RTP packets audioSock received: {ssrc, pt, seq}
const endpoints = [];
const room = `pipe-${randomId(6)}`;
const wrap = (fn) => (t) => c.wrap(fn)(t);

// FFmpeg's streams (client payload types and SSRCs) and the router's
// (mediasoup-demo's router codecs: opus 100, VP8 101); the mapped SSRCs a
// controller would have made.
const FF = { audio: { ssrc: 11111111, pt: 111 }, video: { ssrc: 22222222, pt: 96 } };
const RPT = { audio: 100, video: 101 };
const MAPPED = { audio: 0x3c000001, video: 0x3c000002 };
const CODEC = { audio: { mime: 'audio/opus', clock: 48000 }, video: { mime: 'video/VP8', clock: 90000 } };
const FB = { audio: 0, video: 1 | 2 | 4 }; // nack | pli | fir
const CNAME = 'ffmpeg-cname';
const OUT_SSRC = { audio: 0x5eed0002, video: 0x5eed0001 };
const SCTP_KEYS = { sctp: true, sctp_os: 1024, sctp_mis: 1024, sctp_max_msg: 262144 };
const NO_SCTP = { sctp: false };
const PIPE_SUITE = 'AEAD_AES_256_GCM';

before(async () => {
  checkMediaTools();
  c = await startCluster('pipe_nodes', { controllers: 0, mediads: 2 });
  await c.startMediad({ args: ['--max-consumers', '2'] });
  const [a, b, cc] = await Promise.all(c.mediads.map(async (node, i) => ({
    node, nc: await NodeCommander.open(c, node), router: `r${'ABC'[i]}-${randomId(6)}`, name: 'ABC'[i],
  })));
  [A, B, C] = [a, b, cc];
  tools = toolScope(path.join(c.dir, 'tools'));
});

after(async () => {
  for (const ep of endpoints) ep.close();
  rtcpSock?.close();
  audioSock?.close();
  await tools?.stopAll();
  await c?.stop();
});

// A command that must succeed: its result map ({} when none).
async function ok(n, type, body) {
  const r = await n.nc.call(type, body);
  if (!r.ok) throw new Error(`${type} on node ${n.name}: ${r.er} (code ${r.ec}) for ${JSON.stringify(body)}`);
  return r.r ?? {};
}

// A command that must fail with a reason matching re.
async function refused(n, type, body, re) {
  const r = await n.nc.call(type, body);
  assert.equal(r.ok, false, `${type} on node ${n.name} should fail: ${JSON.stringify(body)}`);
  assert.match(r.er, re);
  return r;
}

async function stats(n, what, id) {
  return n.nc.stats(what, id);
}

async function withLogs(fn) {
  try {
    return await fn();
  } catch (err) {
    console.log(tools.logs());
    for (const ep of endpoints) {
      console.log(`node-sctp :${ep.localPort}: ${ep.messages.length} messages, errors: ${ep.errors.join('; ') || 'none'}`);
    }
    throw err;
  }
}

const plainBody = (n, id, { rtcpMux = true, comedia = false, sctp = NO_SCTP } = {}) =>
  ({ router: n.router, transport: id, rtcp_mux: rtcpMux, comedia, srtp: false, ...sctp });

const pipeBody = (n, id, { srtp, sctp }) =>
  ({ router: n.router, transport: id, rtcp_mux: true, comedia: false, srtp, ...sctp, pipe: true });

const connectBody = (id, port, { rtcpPort = 0, suite = '', key = '', localKey = '' } = {}) =>
  ({ transport: id, ip: HOST, port, rtcp_port: rtcpPort, srtp_suite: suite, srtp_key: key, srtp_local_key: localKey });

// producer.create: the origin's (FFmpeg's payload type and SSRC, mapped to
// the router's), or a piped one (SSRC = mapped SSRC, router payload type).
function producerBody(kind, transport, { piped }) {
  return {
    transport, producer: `p${kind[0]}`, kind, type: 'simple', paused: false, kf_delay: 0, mid: '', cname: CNAME,
    fb: FB[kind], ext: {},
    codecs: [{ pt: piped ? RPT[kind] : FF[kind].pt, mapped_pt: RPT[kind], mime: CODEC[kind].mime, clock: CODEC[kind].clock }],
    encodings: [{ ssrc: piped ? MAPPED[kind] : FF[kind].ssrc, rid: '', rtx_ssrc: 0, mapped_ssrc: MAPPED[kind],
                  spatial: 1, temporal: 1, ksvc: false, max_bitrate: 0 }],
  };
}

// consumer.create of a pipe consumer, as consumer.h describes it.
function pipeConsumerBody(kind, transport, id) {
  return {
    transport, consumer: id, producer: `p${kind[0]}`, kind, type: 'pipe', paused: false, mid: '', ssrc: 0,
    rtx_ssrc: 0, cname: CNAME, fb: FB[kind], ext: {},
    codecs: [{ pt: RPT[kind], rtx_pt: 0, mime: CODEC[kind].mime, clock: CODEC[kind].clock }],
    spatial: 0, temporal: 0, ignore_dtx: false,
  };
}

// An ordinary consumer, created paused and resumed as a controller does.
function consumerBody(kind, transport, id, ssrc) {
  return {
    transport, consumer: id, producer: `p${kind[0]}`, kind, type: 'simple', paused: true, mid: '', ssrc,
    rtx_ssrc: 0, cname: CNAME, fb: kind === 'video' ? 2 | 4 : 0, ext: {},
    codecs: [{ pt: RPT[kind], rtx_pt: 0, mime: CODEC[kind].mime, clock: CODEC[kind].clock }],
    spatial: 0, temporal: 0, ignore_dtx: false,
  };
}

async function pipesHash(n) {
  const h = await c.redis.hgetall(c.key(`node:${n.node.nodeId}:pipes`));
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, JSON.parse(v)]));
}

const nodeHash = (n) => c.redis.hgetall(c.key(`node:${n.node.nodeId}`));

// What each hop received and sent, for a failure message.
async function describeHops() {
  const out = [];
  const hops = [[A, 'transport', ['in-video', 'pAB']], [A, 'producer', ['pv']], [A, 'consumer', ['pipeA-video']],
                [B, 'transport', ['pBA', 'pBC']], [B, 'producer', ['pv']], [C, 'transport', ['pCB', 'out-video']],
                [C, 'producer', ['pv']], [C, 'consumer', ['c-video']]];
  for (const [n, what, ids] of hops) {
    for (const id of ids) {
      const r = await n.nc.call(`${what}.stats`, { [what]: id });
      out.push(`${n.name} ${what} ${id}: ${r.ok ? r.r.stats : r.er}`);
    }
  }
  return out.join('\n');
}

let ports; // transport id -> port

test('FFmpeg on node A reaches a decoder on node C over the pipes A→B (SRTP) and B→C', { timeout: 90000 },
     wrap(() => withLogs(async () => {
  ports = {};
  for (const n of [A, B, C]) await ok(n, 'router.create', { router: n.router, room });

  // The pipes: AEAD_AES_256_GCM keys made here (each side's own key goes
  // out, the other side's comes in), SCTP on A↔B for the data test.
  ports.pAB = (await ok(A, 'transport.create_plain', pipeBody(A, 'pAB', { srtp: true, sctp: SCTP_KEYS }))).port;
  ports.pBA = (await ok(B, 'transport.create_plain', pipeBody(B, 'pBA', { srtp: true, sctp: SCTP_KEYS }))).port;
  ports.pBC = (await ok(B, 'transport.create_plain', pipeBody(B, 'pBC', { srtp: false, sctp: NO_SCTP }))).port;
  ports.pCB = (await ok(C, 'transport.create_plain', pipeBody(C, 'pCB', { srtp: false, sctp: NO_SCTP }))).port;
  await refused(B, 'transport.create_plain', { ...pipeBody(B, 'pBad', { srtp: false, sctp: NO_SCTP }), comedia: true },
                /^transport\.create_plain: a pipe transport cannot be comedia$/);
  await refused(B, 'transport.create_plain', { ...pipeBody(B, 'pBad', { srtp: false, sctp: NO_SCTP }), rtcp_mux: false },
                /^transport\.create_plain: a pipe transport needs rtcp_mux$/);
  const keyA = randomBytes(44).toString('base64');
  const keyB = randomBytes(44).toString('base64');
  const keyA128 = randomBytes(28).toString('base64');
  await refused(A, 'transport.connect_plain',
                connectBody('pAB', ports.pBA, { suite: 'AEAD_AES_128_GCM', key: keyA128, localKey: keyA128 }),
                /^connect: a pipe transport takes only AEAD_AES_256_GCM$/);
  await ok(A, 'transport.connect_plain', connectBody('pAB', ports.pBA, { suite: PIPE_SUITE, key: keyB, localKey: keyA }));
  await ok(B, 'transport.connect_plain', connectBody('pBA', ports.pAB, { suite: PIPE_SUITE, key: keyA, localKey: keyB }));
  await ok(B, 'transport.connect_plain', connectBody('pBC', ports.pCB));
  await ok(C, 'transport.connect_plain', connectBody('pCB', ports.pBC));

  // The origin: one comedia plain transport per FFmpeg stream (each tee
  // slave sends from a port of its own), RTCP on its own port, as
  // mediasoup-demo's ffmpeg.sh does (FFmpeg sends RTCP from another port
  // than RTP: muxed, comedia could learn the wrong one).
  for (const kind of ['audio', 'video']) {
    const id = `in-${kind}`;
    const r = await ok(A, 'transport.create_plain', plainBody(A, id, { comedia: true, rtcpMux: false }));
    ports[id] = r.port;
    ports[`${id}-rtcp`] = r.rtcp_port;
    await ok(A, 'producer.create', producerBody(kind, id, { piped: false }));
  }
  // Hop by hop: a pipe consumer, then the piped producer with the same id.
  for (const kind of ['audio', 'video']) {
    await refused(A, 'consumer.create', pipeConsumerBody(kind, `in-${kind}`, `bad-${kind}`),
                  /^consumer\.create: a pipe consumer needs a pipe transport$/);
    const r = await ok(A, 'consumer.create', pipeConsumerBody(kind, 'pAB', `pipeA-${kind}`));
    assert.equal(r.producer_paused, false);
    await ok(B, 'producer.create', producerBody(kind, 'pBA', { piped: true }));
    await ok(B, 'consumer.create', pipeConsumerBody(kind, 'pBC', `pipeB-${kind}`));
    await ok(C, 'producer.create', producerBody(kind, 'pCB', { piped: true }));
  }
  await refused(B, 'consumer.create', consumerBody('video', 'pBC', 'bad', 1234),
                /^consumer\.create: a pipe transport takes pipe consumers only$/);

  // The edge: a GStreamer VP8 decoder (RTCP to a socket of its own, so
  // that the decoder sees RTP only) and a socket for the audio.
  const [gstPort] = await freeUdpPorts(1);
  rtcpSock = dgram.createSocket('udp4');
  audioSock = dgram.createSocket('udp4');
  await Promise.all([rtcpSock, audioSock].map((s) => new Promise((r) => s.bind(0, HOST, r))));
  audioSock.on('message', (m) => {
    if (m.length >= 12 && !(m[1] >= 192 && m[1] <= 223)) { // RTP, not RTCP (RFC 5761)
      audioIn.push({ pt: m[1] & 0x7f, seq: m.readUInt16BE(2), ssrc: m.readUInt32BE(8) });
    }
  });
  gst = tools.track(await startGstReceiver(gstRtpRecvArgs({ port: gstPort, pt: RPT.video }),
                                           { name: 'gst-recv', logDir: tools.logDir }));
  ports.outV = (await ok(C, 'transport.create_plain', plainBody(C, 'out-video', { rtcpMux: false }))).port;
  ports.outA = (await ok(C, 'transport.create_plain', plainBody(C, 'out-audio'))).port;
  await ok(C, 'transport.connect_plain', connectBody('out-video', gstPort, { rtcpPort: rtcpSock.address().port }));
  await ok(C, 'transport.connect_plain', connectBody('out-audio', audioSock.address().port));
  for (const kind of ['video', 'audio']) {
    await ok(C, 'consumer.create', consumerBody(kind, `out-${kind}`, `c-${kind}`, OUT_SSRC[kind]));
    await ok(C, 'consumer.resume', { consumer: `c-${kind}` });
  }

  const mediaFile = await makeMediaFile(path.join(c.dir, 'media'), { seconds: 6, width: 320, height: 240 });
  tools.start('ffmpeg', ffmpegTeeArgs({
    mediaFile,
    audio: { ...FF.audio, ip: HOST, port: ports['in-audio'], rtcpPort: ports['in-audio-rtcp'] },
    video: { ...FF.video, ip: HOST, port: ports['in-video'], rtcpPort: ports['in-video-rtcp'] },
  }), { name: 'ffmpeg' });

  try {
    await waitForFrames(gst, 30, { timeoutMs: 30000 });
  } catch (err) {
    console.log(await describeHops());
    throw err;
  }
  await waitFor(() => audioIn.filter((p) => p.ssrc === OUT_SSRC.audio && p.pt === RPT.audio).length >= 50,
                { timeoutMs: 15000, what: 'Opus packets at C\'s audio socket', detail: () => String(audioIn.length) });

  // getStats of the pipes and of what is on them.
  const [sBA] = await stats(B, 'transport', 'pBA');
  assert.equal(sBA.type, 'pipe-transport', JSON.stringify(sBA));
  assert.equal(sBA.tuple.remotePort, ports.pAB);
  assert.equal(sBA.tuple.localPort, ports.pBA);
  assert.ok(sBA.bytesReceived > 0 && sBA.bytesSent > 0, JSON.stringify(sBA));
  assert.equal(sBA.rtcpMux, undefined);
  assert.equal(sBA.sctpState !== undefined, true);
  const pipeStats = await stats(A, 'consumer', 'pipeA-video');
  assert.equal(pipeStats.length, 1);
  assert.equal(pipeStats[0].type, 'outbound-rtp');
  assert.equal(pipeStats[0].ssrc, MAPPED.video);
  assert.ok(pipeStats[0].packetCount > 0);
  const [inB] = await stats(B, 'producer', 'pv');
  assert.equal(inB.ssrc, MAPPED.video, 'the piped producer receives the mapped SSRC');
  assert.ok(inB.packetCount > 0);
  const [inC] = await stats(C, 'producer', 'pa');
  assert.equal(inC.ssrc, MAPPED.audio);

  // The node hashes and the pipes hashes (rewritten every second, TTL 3 s).
  await waitFor(async () => {
    const pipes = await pipesHash(B);
    return pipes.pBA?.rtpRx > 0 && pipes.pBC?.rtpTx > 0 && pipes.pBC.txBps > 0;
  }, { timeoutMs: 5000, what: 'B\'s pipes hash with traffic', detail: async () => JSON.stringify(await pipesHash(B)) });
  const pb = await pipesHash(B);
  assert.deepEqual(Object.keys(pb).sort(), ['pBA', 'pBC']);
  assert.equal(pb.pBA.transport, 'pBA');
  assert.equal(pb.pBA.router, B.router);
  assert.equal(pb.pBA.room, room);
  assert.equal(pb.pBA.remoteIp, HOST);
  assert.equal(pb.pBA.remotePort, ports.pAB);
  assert.equal(pb.pBA.srtp, true);
  assert.equal(pb.pBA.producers, 2);
  assert.equal(pb.pBA.consumers, 0);
  assert.ok(pb.pBA.bytesRx > 0 && pb.pBA.rxBps > 0, JSON.stringify(pb.pBA));
  assert.equal(pb.pBC.srtp, false);
  assert.equal(pb.pBC.consumers, 2);
  assert.ok(pb.pBC.bytesTx > 0);
  const pttl = await c.redis.call('PTTL', c.key(`node:${B.node.nodeId}:pipes`));
  assert.ok(pttl > 0 && pttl <= 3000, `pipes hash TTL ${pttl}`);
  const pa = await pipesHash(A);
  assert.deepEqual(Object.keys(pa), ['pAB']);
  assert.ok(pa.pAB.rtpTx > 0 && pa.pAB.consumers === 2 && pa.pAB.srtp === true, JSON.stringify(pa));
  const pc = await pipesHash(C);
  assert.ok(pc.pCB.rtpRx > 0 && pc.pCB.producers === 2, JSON.stringify(pc));
  const [hA, hB, hC] = await Promise.all([A, B, C].map(nodeHash));
  assert.deepEqual([hA.pipe_transports, hB.pipe_transports, hC.pipe_transports], ['1', '2', '1']);
  assert.deepEqual([hA.max_consumers, hB.max_consumers, hC.max_consumers], ['0', '0', '2']);
})));

test('--max-consumers: the edge refuses a third consumer; pipe consumers never count', { timeout: 20000 },
     wrap(() => withLogs(async () => {
  const r = await refused(C, 'consumer.create', consumerBody('video', 'out-audio', 'c-third', 0x5eed0009),
                          /^consumer\.create: node consumer limit reached$/);
  assert.ok(r.ec < 0);
  // A repeat of an existing consumer is no new one.
  await ok(C, 'consumer.create', consumerBody('video', 'out-video', 'c-video', OUT_SSRC.video));
  assert.equal((await nodeHash(C)).consumers, '2');
  // B carries 2 pipe consumers and has no limit; A's pipes are its only
  // consumers.
  assert.equal((await nodeHash(A)).consumers, '2');
})));

test('a data producer piped from A to B: node-sctp on A to node-sctp on B', { timeout: 40000 },
     wrap(() => withLogs(async () => {
  // A data producer on A, fed by a node-sctp endpoint.
  const ep1 = await SctpEndpoint.bind();
  const ep2 = await SctpEndpoint.bind();
  endpoints.push(ep1, ep2);
  const dataA = (await ok(A, 'transport.create_plain', plainBody(A, 'dataA', { sctp: SCTP_KEYS }))).port;
  await ok(A, 'transport.connect_plain', connectBody('dataA', ep1.localPort));
  await ep1.associate({ ip: HOST, port: dataA, OS: 1024, MIS: 1024 });
  const dp = { data_producer: 'dp1', ordered: true, label: 'pipe-chat', protocol: 'braid', paused: false };
  await ok(A, 'data_producer.create', { transport: 'dataA', stream: 5, ...dp });

  // The pipe's association (both ends start it, as mediasoup's pipes do).
  await waitFor(async () => (await stats(A, 'transport', 'pAB'))[0].sctpState === 'connected' &&
                          (await stats(B, 'transport', 'pBA'))[0].sctpState === 'connected',
                { timeoutMs: 15000, what: 'SCTP over the A↔B pipe',
                  detail: async () => JSON.stringify([(await stats(A, 'transport', 'pAB'))[0].sctpState,
                                                      (await stats(B, 'transport', 'pBA'))[0].sctpState]) });
  const { stream } = await ok(A, 'data_consumer.create',
                              { transport: 'pAB', data_consumer: 'dcA', data_producer: 'dp1', ordered: true, paused: false });
  assert.ok(Number.isInteger(stream));
  await ok(B, 'data_producer.create', { transport: 'pBA', stream, ...dp });

  // B's endpoint consumes the piped data producer.
  const dataB = (await ok(B, 'transport.create_plain', plainBody(B, 'dataB', { sctp: SCTP_KEYS }))).port;
  await ok(B, 'transport.connect_plain', connectBody('dataB', ep2.localPort));
  await ep2.associate({ ip: HOST, port: dataB, OS: 1024, MIS: 1024 });
  const { stream: s2 } = await ok(B, 'data_consumer.create',
                                  { transport: 'dataB', data_consumer: 'dcB', data_producer: 'dp1', ordered: true, paused: false });

  const bin = Buffer.from([0, 1, 2, 250, 255]);
  await ep1.send(5, 'hello over the pipe');
  await ep1.send(5, bin);
  await ep1.send(5, 'x'.repeat(3000));
  const got = await ep2.waitMessages((m) => m.streamId === s2, 3, { what: `messages at B on stream ${s2}` });
  assert.equal(got[0].data.toString(), 'hello over the pipe');
  assert.equal(got[0].ppid, PPID.STRING);
  assert.deepEqual([...got[1].data], [...bin]);
  assert.equal(got[1].ppid, PPID.BINARY);
  assert.equal(got[2].data.toString(), 'x'.repeat(3000));
  const [dcs] = await stats(A, 'data_consumer', 'dcA');
  assert.equal(dcs.messagesSent, 3);
  assert.equal(dcs.label, 'pipe-chat');
  const [dps] = await stats(B, 'data_producer', 'dp1');
  assert.equal(dps.messagesReceived, 3);
})));

test('pausing the producer on all three hops stops the picture; the pipes keep flowing; resume brings it back',
     { timeout: 40000 }, wrap(() => withLogs(async () => {
  await waitForFrames(gst, countFrames(gst) + 10, { timeoutMs: 10000 });
  for (const n of [A, B, C]) await ok(n, 'producer.pause', { producer: 'pv' });
  await sleep(700);
  const f1 = countFrames(gst);
  const rx1 = (await pipesHash(C)).pCB.rtpRx;
  await sleep(2200);
  const f2 = countFrames(gst);
  const rx2 = (await pipesHash(C)).pCB.rtpRx;
  assert.ok(f2 - f1 <= 1, `frames while paused on every hop: ${f1} -> ${f2}`);
  assert.ok(rx2 > rx1, `the B→C pipe still carries the paused producer: rtpRx ${rx1} -> ${rx2}`);
  for (const n of [A, B, C]) await ok(n, 'producer.resume', { producer: 'pv' });
  await waitForFrames(gst, f2 + 30, { timeoutMs: 15000 });
})));

test('closing as a controller would: producer.close hop by hop; transport.close of both ends of a pipe',
     { timeout: 40000 }, wrap(() => withLogs(async () => {
  const notFound = (n, what, id) => refused(n, `${what}.stats`, { [what]: id }, /not found/);
  // The video producer closes at the origin: its pipe consumer goes with
  // it; the controller then closes the piped producers, which take their
  // pipe consumers and consumers.
  await ok(A, 'producer.close', { producer: 'pv' });
  await notFound(A, 'consumer', 'pipeA-video');
  await ok(B, 'producer.close', { producer: 'pv' });
  await notFound(B, 'consumer', 'pipeB-video');
  await ok(C, 'producer.close', { producer: 'pv' });
  await notFound(C, 'consumer', 'c-video');
  await sleep(600);
  const f = countFrames(gst);
  await sleep(1200);
  assert.ok(countFrames(gst) - f <= 1, 'no picture after the close');

  // The A↔B pipe closes (both ends): A's audio pipe consumer and the data
  // consumer on it go, B's piped audio producer and data producer go with
  // pBA, and with the producer its pipe consumer towards C; the controller
  // closes the audio producer on C.
  await ok(A, 'transport.close', { transport: 'pAB' });
  await ok(B, 'transport.close', { transport: 'pBA' });
  await notFound(A, 'consumer', 'pipeA-audio');
  await notFound(A, 'data_consumer', 'dcA');
  await notFound(B, 'producer', 'pa');
  await notFound(B, 'consumer', 'pipeB-audio');
  await notFound(B, 'data_producer', 'dp1');
  await ok(C, 'producer.close', { producer: 'pa' });
  await notFound(C, 'consumer', 'c-audio');
  const n0 = audioIn.length;
  await sleep(1000);
  assert.ok(audioIn.length - n0 <= 1, 'no audio after the close');

  // The hashes follow at the next beat: A has no pipe left (no pipes hash),
  // B has one.
  await waitFor(async () => (await nodeHash(A)).pipe_transports === '0' && (await nodeHash(B)).pipe_transports === '1',
                { timeoutMs: 5000, what: 'pipe_transports 0 on A and 1 on B' });
  await waitFor(async () => (await c.redis.call('EXISTS', c.key(`node:${A.node.nodeId}:pipes`))) === 0,
                { timeoutMs: 5000, what: 'A\'s pipes hash gone' });
  assert.deepEqual(Object.keys(await pipesHash(B)), ['pBC']);
  for (const [n, id] of [[B, 'pBC'], [C, 'pCB']]) await ok(n, 'transport.close', { transport: id });
})));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  for (const ep of endpoints) ep.close();
  await tools.stopAll();
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
