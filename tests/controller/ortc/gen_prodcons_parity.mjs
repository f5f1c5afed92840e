// Generates data/prodcons_parity.json: what the real mediasoup computes for
// producers and consumers, so that prodcons_parity_test.c can demand
// byte-identical JSON (braid_ortc_jsjson_dumps() == JSON.stringify) and the
// same error messages from controller/ortc/.
//
// It runs mediasoup's own code: ortc.js (with two lines appended that
// export its internal matchCodecs() and isRtxCodec()), the
// h264-profile-level-id package, scalabilityModesUtils.js, and the real
// WebRtcTransport / PipeTransport classes (produce() and consume()) on a
// fake worker channel that answers every request with success. The worker's
// own checks are not run: each successful produce case carries, in `worker`,
// the producer type or error that worker/src/RTC/Producer.cpp and
// RtpParameters.cpp give (read from the 3.27.1 sources by hand).
// Randomness is made deterministic: utils.generateRandomNumber() and
// utils.generateUUIDv4() are replaced by counters, and each operation
// records the values it drew ("random", "uuid") for the C test to pass in.
// Device capabilities come from the real mediasoup-client (Device.load with
// its FakeHandler fed chrome_caps.mjs), and Chrome-like produce parameters
// from its transport.produce(), then given Chromium's mid, encodings and
// CNAME (shared/docs/field-notes.md, "What Chromium sends in produce").
//
// Inputs are stored as JSON text, parsed on both sides, so key order and
// number spelling (1.0, integer-like keys) reach both as a client sends them.
//
// Run by hand when moving to a new mediasoup release (not part of CI, which
// has no mediasoup server package):
//   mkdir /tmp/ms && cd /tmp/ms && npm pack mediasoup@3.27.1 && tar xzf mediasoup-*.tgz
//   npm install --ignore-scripts flatbuffers@25 h264-profile-level-id@2.3.3 debug@4 supports-color
//   cd tests/controller/ortc   # mediasoup-client comes from the repo's node_modules (npm ci)
//   node gen_prodcons_parity.mjs /tmp/ms/package > data/prodcons_parity.json
import { createRequire, Module } from 'node:module';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromeCaps } from './chrome_caps.mjs';

const pkg = process.argv[2];
if (!pkg) {
  console.error('usage: node gen_prodcons_parity.mjs MEDIASOUP_PACKAGE_DIR');
  process.exit(1);
}
const lib = path.join(pkg, 'node/lib');
const require = createRequire(path.join(lib, 'index.js'));

// ortc.js with its two internal helpers exported, installed in the require
// cache so that Transport.js uses this very module.
const ortcPath = require.resolve('./ortc.js');
{
  const m = new Module(ortcPath, null);
  m.filename = ortcPath;
  m.paths = Module._nodeModulePaths(path.dirname(ortcPath));
  m._compile(readFileSync(ortcPath, 'utf8') +
    '\nexports.__matchCodecs = matchCodecs;\nexports.__isRtxCodec = isRtxCodec;\n', ortcPath);
  m.loaded = true;
  require.cache[ortcPath] = m;
}
const ortc = require('./ortc.js');
const utils = require('./utils.js');
const h264 = require('h264-profile-level-id');
const { parseScalabilityMode } = require('./scalabilityModesUtils.js');
const { WebRtcTransportImpl } = require('./WebRtcTransport.js');
const { PipeTransportImpl } = require('./PipeTransport.js');
const FbsRtpParameters = require('./fbs/rtp-parameters.js');
const flatbuffers = require('flatbuffers');
const version = require(path.join(pkg, 'package.json')).version;
const h264Version = require('h264-profile-level-id/package.json').version;

// ---- deterministic randomness ---------------------------------------------
let drawn = [];
let uuids = [];
let nextRandom = 123456789;
let nextUuid = 0;
utils.generateRandomNumber = () => {
  const v = nextRandom;
  nextRandom += 111111111;
  if (nextRandom >= 999999999) nextRandom -= 876543210;
  drawn.push(v);
  return v;
};
utils.generateUUIDv4 = () => {
  nextUuid++;
  const v = `c${String(nextUuid).padStart(7, '0')}-0000-4000-8000-${String(nextUuid).padStart(12, '0')}`;
  uuids.push(v);
  return v;
};

// ---- mediasoup-client ------------------------------------------------------
const mediasoupClient = await import('mediasoup-client');
const { FakeHandler } = await import('mediasoup-client/handlers/FakeHandler');
const fakeParameters = await import('mediasoup-client/fakeParameters');
const { FakeMediaStreamTrack } = await import('fake-mediastreamtrack');
const clientVersion = mediasoupClient.version;

const text = (v) => JSON.stringify(v);
const clone = (v) => JSON.parse(JSON.stringify(v));

// ---- routers ---------------------------------------------------------------
const opus = { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 };
const h264Codec = (plid, extra = {}) => ({
  kind: 'video', mimeType: 'video/h264', clockRate: 90000,
  parameters: { 'packetization-mode': 1, 'profile-level-id': plid, 'level-asymmetry-allowed': 1,
    'x-google-start-bitrate': 1000, ...extra },
});
const routerCodecs = {
  demo: [
    opus,
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
    { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 2, 'x-google-start-bitrate': 1000 } },
    h264Codec('4d0032'),
    h264Codec('42e01f'),
  ],
  wide: [
    opus,
    { kind: 'audio', mimeType: 'audio/multiopus', clockRate: 48000, channels: 6,
      parameters: { channel_mapping: '0,4,1,2,3,5', num_streams: 4, coupled_streams: 2 } },
    { kind: 'audio', mimeType: 'audio/PCMU', clockRate: 8000 },
    { kind: 'audio', mimeType: 'audio/G722', clockRate: 8000 },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
    { kind: 'video', mimeType: 'video/VP9', clockRate: 90000 },
    { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 2 } },
    { kind: 'video', mimeType: 'video/H264', clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '4d0032' } },
    h264Codec('640032'),
    { kind: 'video', mimeType: 'video/H264', clockRate: 90000, parameters: { 'profile-level-id': '42e01f' } },
    { kind: 'video', mimeType: 'video/AV1', clockRate: 90000 },
  ],
};
const routers = {};
for (const [name, codecs] of Object.entries(routerCodecs)) {
  routers[name] = ortc.generateRouterRtpCapabilities(clone(codecs));
}

// ---- devices (mediasoup-client) and Chrome-like produce parameters ---------
async function loadDevice(routerRtpCapabilities) {
  const device = new mediasoupClient.Device({
    handlerFactory: FakeHandler.createFactory({
      generateNativeRtpCapabilities: chromeCaps,
      generateLocalDtlsParameters: fakeParameters.generateLocalDtlsParameters,
    }),
  });
  await device.load({ routerRtpCapabilities: clone(routerRtpCapabilities) });
  return device;
}
const devices = {};
const deviceObjs = {};
for (const name of Object.keys(routers)) {
  deviceObjs[name] = await loadDevice(routers[name]);
  devices[name] = clone(deviceObjs[name].rtpCapabilities);
}

// What mediasoup-client puts in `produce` for a codec (its FakeHandler gives
// the browser payload types, fmtp parameters, rtcpFeedback and extension
// ids), turned into what Chromium sends: its mid, encodings and CNAME.
async function clientParams(deviceName, kind, codecMatch, { mid, encodings, cname, paramsExtra }) {
  const device = deviceObjs[deviceName];
  const transport = device.createSendTransport(fakeParameters.generateTransportRemoteParameters());
  transport.on('connect', (_p, cb) => cb());
  let params;
  transport.on('produce', (p, cb) => { params = p.rtpParameters; cb({ id: 'x' }); });
  const codec = device.rtpCapabilities.codecs.find(codecMatch);
  if (!codec) throw new Error(`no device codec for ${kind}`);
  await transport.produce({ track: new FakeMediaStreamTrack({ kind }), codec });
  transport.close();
  params = clone(params);
  params.mid = mid;
  params.encodings = encodings;
  params.rtcp = { cname, reducedSize: true };
  params.msid = 'stream0 track0';
  if (paramsExtra) Object.assign(params.codecs[0].parameters, paramsExtra);
  return params;
}
const simulcast = (n, mode = 'L1T3') => [
  { active: true, scalabilityMode: mode, scaleResolutionDownBy: 4, maxBitrate: 500000, rid: 'r0', dtx: false },
  { active: true, scalabilityMode: mode, scaleResolutionDownBy: 2, maxBitrate: 1000000, rid: 'r1', dtx: false },
  { active: true, scalabilityMode: mode, scaleResolutionDownBy: 1, maxBitrate: 5000000, rid: 'r2', dtx: false },
].slice(0, n);
const mime = (m, extra = () => true) => (c) => c.mimeType.toLowerCase() === m && extra(c);
const plid = (v) => (c) => c.parameters['profile-level-id'] === v;
const cnameChrome = 'hZKp8G1Vf5LEW0Xp';

const P = {};
P.opus = await clientParams('demo', 'audio', mime('audio/opus'), {
  mid: '0', encodings: [{ ssrc: 2839104823, dtx: false }], cname: cnameChrome,
  paramsExtra: { 'sprop-stereo': 1, usedtx: 1 },
});
P.vp8Sim = await clientParams('demo', 'video', mime('video/vp8'), {
  mid: '1', encodings: simulcast(3), cname: '',
});
P.vp8Sim2 = await clientParams('demo', 'video', mime('video/vp8'), {
  mid: '2', encodings: simulcast(2), cname: '',
});
P.vp8Single = await clientParams('demo', 'video', mime('video/vp8'), {
  mid: '1', encodings: [{ ssrc: 1111, rtx: { ssrc: 2222 }, dtx: false }], cname: cnameChrome,
});
P.vp8L1T3 = await clientParams('demo', 'video', mime('video/vp8'), {
  mid: '1', encodings: [{ ssrc: 1111, rtx: { ssrc: 2222 }, active: true, scalabilityMode: 'L1T3', dtx: false }],
  cname: cnameChrome,
});
P.h264Sim = await clientParams('demo', 'video', mime('video/h264', plid('4d001f')), {
  mid: '1', encodings: simulcast(3), cname: '',
});
P.h264Base = await clientParams('demo', 'video', mime('video/h264', plid('42e01f')), {
  mid: '1', encodings: [{ ssrc: 3333, rtx: { ssrc: 4444 }, dtx: false }], cname: cnameChrome,
});
P.vp9Svc = await clientParams('demo', 'video', mime('video/vp9'), {
  mid: '1', encodings: [{ ssrc: 5555, rtx: { ssrc: 6666 }, active: true, scalabilityMode: 'L3T3_KEY', maxBitrate: 5000000, dtx: false }],
  cname: cnameChrome,
});
P.av1 = await clientParams('wide', 'video', mime('video/av1'), {
  mid: '3', encodings: [{ ssrc: 7777, rtx: { ssrc: 8888 }, active: true, scalabilityMode: 'L1T3', dtx: false }],
  cname: cnameChrome,
});
P.h264High = await clientParams('wide', 'video', mime('video/h264', plid('4d001f')), {
  mid: '4', encodings: simulcast(3, 'L1T2'), cname: '',
});
P.pcmu = await clientParams('wide', 'audio', mime('audio/pcmu'), {
  mid: '5', encodings: [{ ssrc: 9999, dtx: false }], cname: cnameChrome,
});

// Variations built from the Chrome shapes.
const edit = (base, fn) => { const p = clone(base); fn(p); return p; };

// ---- fake worker channel ----------------------------------------------------
class FakeChannel extends EventEmitter {
  constructor() {
    super();
    this.bufferBuilder = new flatbuffers.Builder(1024);
  }
  async request() {
    this.bufferBuilder.clear();
    return {
      body: (target) => {
        target.unpack = () => ({
          type: FbsRtpParameters.Type.SIMPLE,
          paused: false, producerPaused: false, score: null, preferredLayers: null,
        });
      },
    };
  }
}

// ---- scenarios ---------------------------------------------------------------
const scenarios = [];

async function runScenario(name, routerName, ops) {
  const caps = routers[routerName];
  const channel = new FakeChannel();
  const producers = new Map();
  const transports = new Map();
  const producerIds = [];
  const labels = new Map();
  const out = { name, router: routerName, ops: [] };
  for (const op of ops) {
    drawn = [];
    uuids = [];
    // A request that throws half-serialised (BigInt) leaves the builder
    // nested; each operation gets a fresh one, as a fresh process would.
    channel.bufferBuilder = new flatbuffers.Builder(1024);
    const rec = { ...op };
    if (op.op === 'transport') {
      const options = {
        internal: { routerId: 'router0', transportId: op.id },
        data: { tuple: {}, rtx: Boolean(op.rtx), iceRole: 'controlled' },
        channel,
        appData: {},
        getRouterRtpCapabilities: () => caps,
        getProducerById: (id) => producers.get(id),
        getDataProducerById: () => undefined,
      };
      transports.set(op.id, op.pipe ? new PipeTransportImpl(options) : new WebRtcTransportImpl(options));
    } else if (op.op === 'produce') {
      const transport = transports.get(op.transport);
      let mapping;
      const real = ortc.getProducerRtpParametersMapping;
      ortc.getProducerRtpParametersMapping = (...args) => (mapping = real(...args));
      try {
        const producer = await transport.produce({
          kind: op.kind === undefined ? undefined : JSON.parse(op.kind),
          rtpParameters: op.rtpParameters === undefined ? undefined : JSON.parse(op.rtpParameters),
        });
        producers.set(producer.id, producer);
        if (op.label) labels.set(op.label, producerIds.length);
        producerIds.push(producer.id);
        rec.producerId = producer.id;
        rec.result = {
          rtpParameters: text(producer.rtpParameters),
          rtpMapping: text(mapping),
          consumableRtpParameters: text(producer.consumableRtpParameters),
        };
        if (op.worker === undefined) throw new Error(`${name}: produce succeeded, no worker annotation`);
      } catch (error) {
        if (error.message.includes('no worker annotation')) throw error;
        rec.error = error.message;
        if (op.worker !== undefined) throw new Error(`${name}: produce failed (${error.message}) but has a worker annotation`);
        producerIds.push(null);
      } finally {
        ortc.getProducerRtpParametersMapping = real;
      }
    } else if (op.op === 'consume') {
      const transport = transports.get(op.transport);
      const idx = typeof op.producer === 'string' ? labels.get(op.producer) : op.producer;
      const producerId = (idx >= 0 ? producerIds[idx] : null) ?? 'no-such-producer';
      rec.producerId = producerId;
      try {
        const args = { producerId };
        if (capsText(op) !== undefined) args.rtpCapabilities = JSON.parse(capsText(op));
        if (op.mid !== undefined) args.mid = op.mid;
        if (op.enableRtx !== undefined) args.enableRtx = op.enableRtx;
        if (op.pipe !== undefined) args.pipe = op.pipe;
        const consumer = await transport.consume(args);
        rec.result = text(consumer.rtpParameters);
      } catch (error) {
        rec.error = error.message;
      }
    } else if (op.op === 'canConsume') {
      // Router.canConsume(): a clone of the caps, any throw is false.
      const producer = producers.get(producerIds[typeof op.producer === 'string' ? labels.get(op.producer) : op.producer]);
      try {
        rec.result = ortc.canConsume(producer.consumableRtpParameters, JSON.parse(capsText(op)));
      } catch (error) {
        rec.result = false;
        rec.error = error.message;
      }
    }
    if (drawn.length) rec.random = drawn;
    if (uuids.length) rec.uuid = uuids;
    out.ops.push(rec);
  }
  scenarios.push(out);
}

const produce = (transport, kind, params, worker, label) => ({
  op: 'produce', transport, kind: kind === undefined ? undefined : text(kind),
  rtpParameters: params === undefined ? undefined : (typeof params === 'string' ? params : text(params)),
  worker, label,
});
// Capabilities are stored once, in "caps", and named by ops (capsRef).
const capsTable = new Map();
const capsArgs = (caps) => {
  if (caps === undefined || typeof caps === 'string') return { rtpCapabilities: caps };
  for (const [name, value] of capsTable) if (value === caps) return { capsRef: name };
  return { rtpCapabilities: text(caps) };
};
const capsText = (op) => (op.capsRef !== undefined ? text(capsTable.get(op.capsRef)) : op.rtpCapabilities);
const consume = (transport, producer, caps, extra = {}) => ({
  op: 'consume', transport, producer, ...capsArgs(caps), ...extra,
});
const webrtc = (id) => ({ op: 'transport', id, pipe: false });
const pipeT = (id, rtx) => ({ op: 'transport', id, pipe: true, rtx });
const canConsume = (producer, caps) => ({ op: 'canConsume', producer, ...capsArgs(caps) });

const D = devices.demo;
const capsEdit = (fn) => { const c = clone(D); fn(c); return c; };
const noRtx = capsEdit((c) => { c.codecs = c.codecs.filter((x) => x.mimeType !== 'video/rtx'); });
const noTwcc = capsEdit((c) => {
  c.headerExtensions = c.headerExtensions.filter((e) => !e.uri.includes('transport-wide-cc'));
});
const noBwe = capsEdit((c) => {
  c.headerExtensions = c.headerExtensions.filter((e) => !e.uri.includes('transport-wide-cc') && !e.uri.includes('abs-send-time'));
});
const otherIds = capsEdit((c) => { for (const e of c.headerExtensions) e.preferredId += 1; });
const vp9p0 = capsEdit((c) => { for (const x of c.codecs) if (x.mimeType === 'video/VP9') x.parameters['profile-id'] = 0; });
const h264Only42 = capsEdit((c) => {
  for (const x of c.codecs) if (x.mimeType === 'video/H264') x.parameters['profile-level-id'] = '42e01f';
});
const pmString = capsEdit((c) => {
  for (const x of c.codecs) if (x.mimeType === 'video/H264') x.parameters['packetization-mode'] = '1';
});
const rtxFirst = capsEdit((c) => { c.codecs.sort((a, b) => (b.mimeType === 'video/rtx') - (a.mimeType === 'video/rtx')); });
const audioOnly = capsEdit((c) => { c.codecs = c.codecs.filter((x) => x.kind === 'audio'); });
for (const [name, value] of Object.entries({ chrome_demo: D, chrome_wide: devices.wide, no_rtx: noRtx,
  no_twcc: noTwcc, no_bwe: noBwe, other_ids: otherIds, vp9_p0: vp9p0, h264_only_42: h264Only42,
  pm_string: pmString, rtx_first: rtxFirst, audio_only: audioOnly })) {
  capsTable.set(name, value);
}

// The real flows: Chrome-like producers on one transport, consumed by a
// Chrome-like device on another.
await runScenario('chrome_demo_call', 'demo', [
  webrtc('send'), webrtc('recv'),
  produce('send', 'audio', P.opus, 'simple'),            // 0
  produce('send', 'video', P.vp8Sim, 'simulcast'),       // 1
  produce('send', 'video', P.h264Sim, 'simulcast'),      // 2
  produce('send', 'video', P.vp9Svc, 'svc'),             // 3
  produce('send', 'video', P.h264Base, 'simple'),        // 4
  produce('send', 'video', P.vp8Single, 'simple'),       // 5
  produce('send', 'video', P.vp8L1T3, 'svc'),            // 6
  produce('send', 'video', P.vp8Sim2, 'simulcast'),      // 7
  consume('recv', 0, D), consume('recv', 1, D), consume('recv', 2, D), consume('recv', 3, D),
  consume('recv', 4, D), consume('recv', 5, D), consume('recv', 6, D), consume('recv', 7, D),
  consume('recv', 0, D, { enableRtx: true }),
  consume('recv', 1, D, { enableRtx: false }),
  consume('recv', 3, D, { mid: 'screen' }),
  consume('recv', 1, D, { pipe: true }),
  consume('recv', 0, D, { pipe: true }),
  consume('recv', 3, D, { pipe: true, enableRtx: false }),
  consume('recv', 1, noRtx), consume('recv', 1, noTwcc), consume('recv', 1, noBwe),
  consume('recv', 0, noTwcc), consume('recv', 0, noBwe),
  consume('recv', 1, otherIds), consume('recv', 3, vp9p0), consume('recv', 2, h264Only42),
  consume('recv', 4, h264Only42), consume('recv', 2, pmString), consume('recv', 1, rtxFirst),
  consume('recv', 1, audioOnly), consume('recv', 0, audioOnly),
  consume('recv', -1, D),
  consume('recv', 1, undefined), consume('recv', 1, 'null'), consume('recv', 1, '[]'), consume('recv', 1, '"x"'),
  consume('recv', 1, '{}'), consume('recv', 1, { codecs: 'x' }),
  consume('recv', 1, { codecs: [{ mimeType: 'video/rtx', clockRate: 90000, parameters: { apt: '101' } }] }),
  consume('recv', 1, { headerExtensions: [{ kind: 'data', uri: 'x', preferredId: 1 }] }),
  consume('recv', -1, 'null'),
  canConsume(0, D), canConsume(1, D), canConsume(3, vp9p0), canConsume(2, h264Only42),
  canConsume(1, rtxFirst), canConsume(1, noRtx), canConsume(1, audioOnly), canConsume(1, 'null'),
  canConsume(1, '{"codecs":7}'), canConsume(4, pmString), canConsume(1, '{}'),
]);

await runScenario('chrome_wide_router', 'wide', [
  webrtc('send'), webrtc('recv'), pipeT('pipe', true), pipeT('pipe-nortx', false),
  produce('send', 'video', P.av1, 'svc'),               // 0
  produce('send', 'video', P.h264High, 'simulcast'),    // 1
  produce('send', 'audio', P.pcmu, 'simple'),           // 2
  produce('send', 'audio', edit(P.opus, (p) => { p.codecs[0].mimeType = 'audio/multiopus'; p.codecs[0].channels = 6;
    p.codecs[0].parameters = { channel_mapping: '0,4,1,2,3,5', num_streams: 4, coupled_streams: 2 }; }), 'simple'), // 3
  produce('send', 'video', edit(P.vp9Svc, (p) => { p.codecs[0].parameters = {}; }), 'svc'), // 4: VP9 profile 0
  consume('recv', 0, devices.wide), consume('recv', 1, devices.wide), consume('recv', 2, devices.wide),
  consume('recv', 3, devices.wide), consume('recv', 4, devices.wide),
  consume('pipe', 0), consume('pipe', 1), consume('pipe', 2), consume('pipe-nortx', 1),
  consume('pipe-nortx', 3),
]);

// CNAME rule across producers of one transport, and on pipe transports.
await runScenario('cname_rule', 'demo', [
  webrtc('a'), webrtc('b'), pipeT('p', false), webrtc('c'),
  produce('a', 'video', P.vp8Sim, 'simulcast'),                                   // random CNAME taken
  produce('a', 'audio', P.opus, 'simple'),                                        // overridden
  produce('b', 'audio', P.opus, 'simple'),                                        // Chrome's taken
  produce('b', 'video', P.vp8Sim, 'simulcast'),                                   // Chrome's given
  produce('b', 'video', edit(P.vp8Single, (p) => { delete p.rtcp; }), 'simple'),
  produce('p', 'audio', P.opus, 'simple'),                                        // kept
  produce('p', 'video', P.vp8Sim, 'simulcast'),                                   // random
  produce('p', 'video', edit(P.vp8Single, (p) => { p.rtcp = null; }), 'simple'),  // random
  produce('c', 'video', edit(P.vp8Single, (p) => { p.codecs[0].clockRate = 1; p.rtcp.cname = 'first'; })), // fails after taking a CNAME
  produce('c', 'audio', P.opus, 'simple'),
  webrtc('r'),
  consume('r', 0, D), consume('r', 1, D), consume('r', 2, D), consume('r', 5, D), consume('r', 6, D),
  consume('r', 9, D),
]);

// Producer errors, one step at a time, and what passes Node but not the worker.
const bad = (p) => ['send', 'video', p];
await runScenario('produce_errors', 'demo', [
  webrtc('send'), webrtc('recv'),
  produce('send', undefined, P.opus), produce('send', 'data', P.opus), produce('send', 1, P.opus),
  produce('send', null, P.opus), produce('send', ['audio'], P.opus), produce('send', 'Audio', P.opus),
  produce('send', 'audio', undefined), produce('send', 'audio', 'null'), produce('send', 'audio', '[]'),
  produce('send', 'audio', '"x"'), produce('send', 'audio', '{}'),
  produce(...bad(edit(P.vp8Single, (p) => { p.mid = 7; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs = {}; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0] = null; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0] = 'VP8'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { delete p.codecs[0].mimeType; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].mimeType = 'text/VP8'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].payloadType = '96'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { delete p.codecs[0].clockRate; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].parameters = { foo: null }; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].parameters = { foo: [1, [2, null]] }; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].parameters = { foo: true }; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[1].parameters = { apt: '96' }; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].rtcpFeedback = [{ parameter: 'pli' }]; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].rtcpFeedback = [null]; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.headerExtensions = {}; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.headerExtensions[0] = null; }))),
  produce(...bad(edit(P.vp8Single, (p) => { delete p.headerExtensions[0].uri; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.headerExtensions[0].id = '4'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.headerExtensions[0].encrypt = 1; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.headerExtensions[0].parameters = { a: {} }; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings = 'x'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings = [null]; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings = [7]; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].ssrc = '1111'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].rid = 1; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].rtx = 5; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].rtx = {}; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].rtx = []; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].scalabilityMode = 3; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.rtcp = 'x'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.rtcp.cname = 5; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.msid = 5; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].clockRate = 48000; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[0].mimeType = 'video/H265'; }))),
  produce(...bad(edit(P.h264Base, (p) => { p.codecs[0].parameters['profile-level-id'] = '64001f'; }))),
  produce(...bad(edit(P.h264Base, (p) => { p.codecs[0].parameters['packetization-mode'] = 0; }))),
  produce(...bad(edit(P.h264Base, (p) => { p.codecs[0].parameters['packetization-mode'] = '1'; }))),
  produce(...bad(edit(P.h264Base, (p) => { p.codecs[0].parameters['profile-level-id'] = 640032; }))),
  produce(...bad(edit(P.h264Base, (p) => { p.codecs[0].parameters['profile-level-id'] = '4d00zz'; }))),
  produce(...bad(edit(P.vp9Svc, (p) => { p.codecs[0].parameters['profile-id'] = 0; }))),
  produce(...bad(edit(P.vp9Svc, (p) => { p.codecs[0].parameters['profile-id'] = '2'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.codecs[1].parameters.apt = 95; }))),
  produce('send', 'audio', edit(P.opus, (p) => {
    p.codecs.push({ mimeType: 'audio/rtx', payloadType: 112, clockRate: 48000, parameters: { apt: 111 } });
  })),
  produce(...bad(edit(P.vp8Single, (p) => {
    p.codecs.push({ mimeType: 'video/rtx', payloadType: 98, clockRate: 90000, parameters: { apt: 99 } });
    p.codecs.push({ mimeType: 'video/rtx', payloadType: 99, clockRate: 90000, parameters: { apt: 96 } });
  }))),
  produce(...bad(edit(P.vp8Single, (p) => {
    p.codecs.push({ mimeType: 'video/rtx', payloadType: 99, clockRate: 90000, parameters: { apt: 96 } });
    p.codecs.push({ mimeType: 'video/rtx', payloadType: 98, clockRate: 90000, parameters: { apt: 99 } });
  }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.headerExtensions.push({ uri: 'urn:x-foo', id: 9 }); }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].maxBitrate = 1.5; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].maxBitrate = null; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].maxBitrate = 'abc'; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].maxBitrate = { a: 1 }; }))),
  produce(...bad(edit(P.vp8Single, (p) => { p.encodings[0].maxBitrate = '-0x10'; }))),
  // Node accepts these; the worker's verdict is annotated.
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings[0].maxBitrate = ' 0x10 '; }), 'simple'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings[0].maxBitrate = [500]; }), 'simple'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings[0].maxBitrate = true; }), 'simple'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.codecs = []; }), 'empty codecs'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.codecs[1].payloadType = 96; }), 'duplicated payloadType'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.headerExtensions[0].id = 256; }), 'invalid id 0'),
  produce('send', 'video', edit(P.vp9Svc, (p) => { p.encodings = simulcast(2); }), 'video/VP9 codec not supported for simulcast'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings = [{ scalabilityMode: 'L2T3' }, { rid: 'b' }]; }),
    'cannot use both simulcast and encodings with multiple SVC spatial layers'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings = [{ rid: 'a' }, { dtx: true }]; }),
    'wrong entry in rtpMapping.encodings (missing ssrc or rid)'),
  produce('send', 'video', edit(P.vp8Single, (p) => { delete p.mid; p.encodings = [{}]; }),
    'wrong entry in rtpMapping.encodings (missing ssrc or rid, or rtpParameters.mid)'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.mid = ''; delete p.encodings; }),
    'wrong entry in rtpMapping.encodings (missing ssrc or rid, or rtpParameters.mid)'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings[0].codecPayloadType = 97; }), 'invalid codecPayloadType'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings[0].codecPayloadType = 95; }), 'unknown codecPayloadType'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings[0].codecPayloadType = 96; }), 'simple'),
  produce('send', 'audio', edit(P.opus, (p) => { p.encodings[0].scalabilityMode = 'L1T3'; }), 'invalid RTP parameters'),
  produce('send', 'audio', edit(P.opus, (p) => { p.encodings[0].scalabilityMode = 'L1T3\n'; }), 'simple'),
  produce('send', 'audio', edit(P.opus, (p) => { p.encodings = [{ ssrc: 1 }, { ssrc: 2 }]; }),
    'audio/opus codec not supported for simulcast'),
  produce('send', 'video', edit(P.vp8Single, (p) => { p.encodings[0].rtx = null; p.encodings[0].ssrc = 0; p.encodings[0].rid = 'q'; }), 'simple'),
  // Odd but valid input: kept as it came, in JS key order.
  produce('send', 'video', '{"rtcp":{"reducedSize":false,"cname":"x"},"encodings":[{"ssrc":1.0,"9":1,"rid":"","scaleResolutionDownBy":0.1,"maxBitrate":1e3}],"codecs":[{"payloadType":96.0,"mimeType":"VIDEO/vp8","clockRate":90000,"channels":2,"parameters":{"b":"1","2":2,"10":0.30000000000000004,"a":-0},"rtcpFeedback":{}},{"mimeType":"video/RTX","payloadType":97,"clockRate":90000,"parameters":{"apt":96}}],"mid":"a","headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":4,"encrypt":true,"parameters":[1,"x"]}],"msid":"","extra":{"x":[1,{"2":3,"1":4}]}}', 'simple', 'odd'),
  produce('send', 'video', edit(P.vp8Sim, (p) => { p.encodings[0].maxBitrate = '900'; p.encodings[1].maxBitrate = '1000'; p.encodings[2].maxBitrate = 0; }), 'simulcast', 'mb1'),
  produce('send', 'video', edit(P.vp8Sim, (p) => { p.encodings[1].maxBitrate = [2000000]; p.encodings[0].scalabilityMode = ''; p.encodings[1].scalabilityMode = 'S1T2'; }), 'simulcast', 'mb2'),
  produce('send', 'video', edit(P.vp8Sim, (p) => { for (const e of p.encodings) { delete e.scalabilityMode; delete e.maxBitrate; } }), 'simulcast', 'nomode'),
  produce('send', 'video', edit(P.h264Base, (p) => { p.codecs[0].parameters['level-asymmetry-allowed'] = 0; p.codecs[0].parameters['profile-level-id'] = '42e034'; }), 'simple', 'h264a'),
  produce('send', 'video', edit(P.h264Base, (p) => { delete p.codecs[0].parameters['profile-level-id']; }), 'simple', 'h264b'),
  produce('send', 'video', edit(P.h264Base, (p) => { p.codecs[0].parameters['profile-level-id'] = '42E01F'; }), 'simple', 'h264c'),
  consume('recv', 'odd', D), consume('recv', 'mb1', D), consume('recv', 'mb2', D),
  consume('recv', 'nomode', D), consume('recv', 'h264a', D), consume('recv', 'h264b', D),
  consume('recv', 'h264c', D), consume('recv', 'odd', D, { pipe: true }),
]);

// ---- validation, matching, H264 and scalability, function by function -------
const validate = [];
// braidError: where controller/ortc differs on purpose (rtp_params.h).
function val(name, what, inText, braidError) {
  const entry = { name, what };
  if (braidError) entry.braidError = braidError;
  if (inText !== undefined) entry.in = inText;
  const input = inText === undefined ? undefined : JSON.parse(inText);
  try {
    if (what === 'rtpParameters') ortc.validateAndNormalizeRtpParameters(input);
    else if (what === 'rtpCapabilities') ortc.validateAndNormalizeRtpCapabilities(input);
    else ortc.validateAndNormalizeSctpStreamParameters(input);
    entry.out = JSON.stringify(input);
  } catch (error) {
    entry.error = error.message;
  }
  validate.push(entry);
}
const vp = (name, v, braidError) => val(name, 'rtpParameters', typeof v === 'string' ? v : text(v), braidError);
const vc = (name, v) => val(name, 'rtpCapabilities', typeof v === 'string' ? v : text(v));
const vs = (name, v) => val(name, 'sctpStreamParameters', typeof v === 'string' ? v : text(v));
vp('chrome_opus', P.opus);
vp('chrome_vp8_simulcast', P.vp8Sim);
vp('chrome_vp9_svc', P.vp9Svc);
vp('minimal', { codecs: [] });
vp('falsy_optional_lists', { codecs: [], headerExtensions: null, encodings: 0, rtcp: '', msid: null, mid: '' });
vp('array_params', '[]');
vp('array_rtcp', { codecs: [], rtcp: [] }, 'params.rtcp is not an object');
vp('array_encoding', { codecs: [], encodings: [[]] }, 'encoding is not an object');
vp('codec_params_array', { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: ['a', 7] }] });
vp('ext_params_array', { codecs: [], headerExtensions: [{ uri: 'u', id: 1, parameters: ['a', 7] }] });
vp('ext_params_array_bad', { codecs: [], headerExtensions: [{ uri: 'u', id: 1, parameters: [null] }] });
vp('codec_channels_string_audio', { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: '2' }] });
vp('mime_line_terminator', '{"codecs":[{"mimeType":"audio/\\u2028x","payloadType":1,"clockRate":1}]}');
vp('mime_kelvin', '{"codecs":[{"mimeType":"audio/SIL\\u212a","payloadType":1,"clockRate":1}]}');
vp('undefined', undefined);
vp('number', '5');
vp('dtx_values', { codecs: [], encodings: [{ dtx: true }, { dtx: 1 }, { dtx: 'true' }, {}] });
vp('reduced_size_values', { codecs: [], rtcp: { reducedSize: 1, cname: '' } });
vp('encrypt_values', { codecs: [], headerExtensions: [{ uri: 'u', id: 1, encrypt: true }, { uri: 'v', id: 2, encrypt: 0 }] });
vp('fb_parameter_values', { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000,
  rtcpFeedback: [{ type: 'nack', parameter: 5 }, { type: 'nack', parameter: '' }, { type: 'x', parameter: 'y', extra: 1 }] }] });
vp('integer_keys', '{"codecs":[],"9":1,"10":2,"01":3,"a":4,"4294967295":5,"4294967294":6}');
vp('rtx_object_array', { codecs: [], encodings: [{ rtx: [] }] });
vp('rtx_null', { codecs: [], encodings: [{ rtx: null, ssrc: 0, rid: '' }] });
vc('chrome_device', D);
vc('router_demo', routers.demo);
vc('empty', {});
vc('null', 'null');
vc('undefined', undefined);
vc('array', '[]');
vc('string', '"x"');
vc('codecs_string', { codecs: 'x' });
vc('codecs_falsy', { codecs: 0, headerExtensions: '' });
vc('exts_object', { headerExtensions: {} });
vc('ext_bad_kind', { headerExtensions: [{ kind: 'Audio', uri: 'u', preferredId: 1 }] });
vc('ext_null', { headerExtensions: [null] });
vc('ext_missing_id', { headerExtensions: [{ kind: 'audio', uri: 'u' }] });
vc('ext_bad_direction', { headerExtensions: [{ kind: 'audio', uri: 'u', preferredId: 1, direction: 5 }] });
vc('ext_bad_encrypt', { headerExtensions: [{ kind: 'audio', uri: 'u', preferredId: 1, preferredEncrypt: 'yes' }] });
vc('codec_bad_pt', { codecs: [{ mimeType: 'audio/opus', clockRate: 48000, preferredPayloadType: '100' }] });
vc('codec_null', { codecs: [null] });
vc('codec_param_object', { codecs: [{ mimeType: 'audio/opus', clockRate: 48000, parameters: { x: { y: 1 } } }] });
vs('ok', { streamId: 1 });
vs('ordered_false', { streamId: 1, ordered: false });
vs('lifetime', { streamId: 1, maxPacketLifeTime: 100 });
vs('retransmits_unordered', { streamId: 1, ordered: false, maxRetransmits: 3 });
vs('retransmits_zero', { streamId: 1, ordered: true, maxRetransmits: 0 });
vs('both', { streamId: 1, maxPacketLifeTime: 1, maxRetransmits: 1 });
vs('ordered_with_limit', { streamId: 1, ordered: true, maxRetransmits: 1 });
vs('ordered_not_boolean', { streamId: 1, ordered: 'yes', maxRetransmits: 2 });
vs('missing_stream_id', { ordered: true });
vs('stream_id_string', { streamId: '1' });
vs('lifetime_string', { streamId: 1, maxPacketLifeTime: '100' });
vs('retransmits_string', { streamId: 1, maxRetransmits: 'x' });
vs('null', 'null');
vs('undefined', undefined);
vs('array', '[]');
vs('string', '"x"');

const match = [];
function m(name, a, b, strict, modify) {
  const entry = { name, a: text(a), b: text(b), strict, modify };
  const aa = JSON.parse(entry.a);
  entry.out = ortc.__matchCodecs(aa, JSON.parse(entry.b), { strict, modify });
  entry.aAfter = text(aa);
  match.push(entry);
}
const c = (mimeType, clockRate, parameters = {}, channels) => ({ mimeType, clockRate, ...(channels ? { channels } : {}), parameters });
const H = (params) => c('video/H264', 90000, params);
for (const [strict, modify] of [[false, false], [true, false], [true, true]]) {
  const s = `${strict ? 'strict' : 'loose'}${modify ? '_modify' : ''}`;
  m(`h264_chrome_vs_router_${s}`, H({ 'packetization-mode': 1, 'profile-level-id': '4d001f', 'level-asymmetry-allowed': 1 }),
    H({ 'packetization-mode': 1, 'profile-level-id': '4d0032', 'level-asymmetry-allowed': 1 }), strict, modify);
  m(`h264_no_asymmetry_${s}`, H({ 'packetization-mode': 1, 'profile-level-id': '4d0032' }),
    H({ 'packetization-mode': 1, 'profile-level-id': '4d001f', 'level-asymmetry-allowed': 1 }), strict, modify);
  m(`h264_both_default_${s}`, H({}), H({ 'packetization-mode': 0 }), strict, modify);
  m(`h264_default_vs_cb_${s}`, H({}), H({ 'profile-level-id': '42e00a' }), strict, modify);
  m(`h264_pm_mismatch_${s}`, H({ 'packetization-mode': 1 }), H({}), strict, modify);
  m(`h264_pm_string_${s}`, H({ 'packetization-mode': '1' }), H({ 'packetization-mode': 1 }), strict, modify);
  m(`h264_profile_mismatch_${s}`, H({ 'profile-level-id': '42e01f' }), H({ 'profile-level-id': '640c1f' }), strict, modify);
  m(`h264_invalid_plid_${s}`, H({ 'profile-level-id': 'zzzzzz' }), H({ 'profile-level-id': 'zzzzzz' }), strict, modify);
  m(`h264_level_1b_${s}`, H({ 'profile-level-id': '42f00b' }), H({ 'profile-level-id': '42e00b' }), strict, modify);
  m(`h264_case_${s}`, H({ 'profile-level-id': '42E01F', 'level-asymmetry-allowed': '1' }), H({ 'profile-level-id': '42e034', 'level-asymmetry-allowed': true }), strict, modify);
  m(`vp9_profile_${s}`, c('video/VP9', 90000, { 'profile-id': 2 }), c('video/vp9', 90000, {}), strict, modify);
  m(`vp9_profile_zero_${s}`, c('video/VP9', 90000, { 'profile-id': 0 }), c('video/vp9', 90000, { 'profile-id': '' }), strict, modify);
  m(`vp9_profile_string_${s}`, c('video/VP9', 90000, { 'profile-id': '2' }), c('video/vp9', 90000, { 'profile-id': 2 }), strict, modify);
  m(`multiopus_${s}`, c('audio/multiopus', 48000, { num_streams: 4, coupled_streams: 2 }, 6),
    c('audio/MULTIOPUS', 48000, { num_streams: 4, coupled_streams: 2 }, 6), strict, modify);
  m(`multiopus_streams_${s}`, c('audio/multiopus', 48000, { num_streams: 4, coupled_streams: 2 }, 6),
    c('audio/multiopus', 48000, { num_streams: 3, coupled_streams: 2 }, 6), strict, modify);
  m(`opus_channels_${s}`, c('audio/opus', 48000, {}, 2), c('audio/opus', 48000, {}, 1), strict, modify);
  m(`clock_rate_type_${s}`, c('video/VP8', 90000), { ...c('video/VP8', '90000') }, strict, modify);
  m(`mime_case_${s}`, c('Video/Vp8', 90000), c('video/VP8', 90000), strict, modify);
  m(`mime_differs_${s}`, c('video/VP8', 90000), c('video/VP9', 90000), strict, modify);
}
m('kelvin', c('audio/SIL\u212a', 16000, {}, 1), c('audio/SILK', 16000, {}, 1), false, false);

const isRtx = ['video/rtx', 'VIDEO/RTX', 'audio/rtx', 'video/foo/rtx', 'video/\n/rtx', 'video/\u2028/rtx', 'video/rtxx', '/rtx', 'x/rtx', 'video/vp8']
  .map((s) => ({ in: s, out: ortc.__isRtxCodec({ mimeType: s }) }));

const plids = ['42e01f', '42001f', '4d001f', '4d0032', '640032', '640c1f', 'f4001f', '58e01f', '58a01f', '42f00b', '42e00b',
  '4d100b', '64100b', '42e0ff', '000000', 'zzzzzz', '42e01', '42e01f0', ' 42e01', '+42e01', '-42e01', '0x42e0', '0X4d1f',
  '42e0\u00e9f', '\u00a042e01', '4\u{1F600}e01', '42E01F', '4D001F', '42e0\u0001f', '6400zz', '  0x1f'];
const h264Out = {
  parse: plids.map((s) => {
    const r = h264.parseProfileLevelId(s);
    return { in: s, out: r ? { profile: r.profile, level: r.level } : null };
  }).concat([{ in: 640032, out: null }, { in: null, out: null }]),
  answer: [],
};
const answerPairs = [
  [{}, {}], [{ 'profile-level-id': '42e01f' }, {}], [{}, { 'profile-level-id': '42e01f' }],
  [{ 'profile-level-id': '4d001f', 'level-asymmetry-allowed': 1 }, { 'profile-level-id': '4d0032', 'level-asymmetry-allowed': 1 }],
  [{ 'profile-level-id': '4d0032', 'level-asymmetry-allowed': 1 }, { 'profile-level-id': '4d001f' }],
  [{ 'profile-level-id': '42f00b' }, { 'profile-level-id': '42e00a' }],
  [{ 'profile-level-id': '42e00a' }, { 'profile-level-id': '42f00b' }],
  [{ 'profile-level-id': '42e00b' }, { 'profile-level-id': '42f00b' }],
  [{ 'profile-level-id': 'zz' }, { 'profile-level-id': '42e01f' }],
  [{ 'profile-level-id': '42e01f' }, { 'profile-level-id': 'zz' }],
  [{ 'profile-level-id': '42e01f' }, { 'profile-level-id': '640c1f' }],
  [{ 'profile-level-id': 0 }, { 'profile-level-id': '' }],
  [{ 'profile-level-id': '640c34', 'level-asymmetry-allowed': '1' }, { 'profile-level-id': '640c1f', 'level-asymmetry-allowed': 1.0 }],
];
for (const [local, remote] of answerPairs) {
  const entry = { local: text(local), remote: text(remote), same: h264.isSameProfile(local, remote) };
  try {
    const r = h264.generateProfileLevelIdStringForAnswer(local, remote);
    entry.out = r === undefined ? null : r;
  } catch (error) {
    entry.error = error.message;
  }
  h264Out.answer.push(entry);
}

const scalability = ['L1T3', 'L3T3_KEY', 'S2T1', 'L1T1', 'L10T2', 'L12T34', 'L1T345', 'L0T1', 'L1T0', 'l1t3', 'X1T3',
  'L1T3_KEY_SHIFT', 'L1T3_key', 'L1T3h', 'LT3', 'L1', '', 'L99T99', ' L1T3', 'L1T3\n']
  .map((s) => ({ in: s, out: parseScalabilityMode(s) }));

const out = {
  mediasoup: version, mediasoupClient: clientVersion, h264ProfileLevelId: h264Version,
  routers: Object.fromEntries(Object.entries(routers).map(([k, v]) => [k, text(v)])),
  caps: Object.fromEntries([...capsTable].map(([k, v]) => [k, text(v)])),
  scenarios, validate, match, isRtx, h264: h264Out, scalability,
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
