// The broadcaster HTTP API (controller/api/api.h) without media, against
// a real cluster: a browser-like peer (protoo-client + mediasoup-client's
// FakeHandler, which checks every parameter) in the room sees what the
// broadcaster does:
//  - legacy routes (mediasoup-demo's ffmpeg.sh): create with {id} -> newPeer;
//    plain transports (comedia, no rtcp-mux) -> {id, ip, port, rtcpPort};
//    the seed example's opus and VP8 producers -> newConsumer accepted by
//    mediasoup-client; DELETE -> consumerClosed and peerClosed, records gone;
//  - current routes (gstreamer.sh / apiMessages.ts): create with {peerId}
//    (no newPeer until /join), producers with transportId in the body,
//    consumers of the peer's producers with rtpCapabilities in the body,
//    resume;
//  - legacy consume (?producerId=) with the broadcaster's rtpCapabilities:
//    router payload types and extension ids kept, MIDs "0", "1";
//  - bad input: each answered with a clear 4xx JSON error; nothing crashes.
// Cluster: redis, two controllers (the API is stateless: requests of one
// broadcaster alternate between them), one media daemon.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { BroadcasterApi, SEED, opusParams, vp8Params } from './lib/bcast_api.mjs';
import { FakeClient } from './lib/fake_client.mjs';
import { ProtooPeer } from './lib/peers.mjs';

let c;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('broadcaster_api', { controllers: 2, mediads: 1 });
});

after(async () => {
  await c?.stop();
});

const record = async (roomId, what, id) => {
  const text = await c.redis.call('HGET', c.key(`room:${roomId}:${what}`), id);
  return text ? JSON.parse(text) : null;
};

test('legacy routes: the seed example as ffmpeg.sh makes it, then DELETE', { timeout: 60000 }, wrap(async () => {
  const roomId = randomId(8);
  const [ctlA, ctlB] = c.controllers;
  const apiA = new BroadcasterApi(ctlA, roomId);
  const apiB = new BroadcasterApi(ctlB, roomId);
  const viewer = await FakeClient.open(ctlA, roomId, { legacy: true, name: 'viewer' });
  try {
    await viewer.setup();
    const caps = await apiA.ok('GET', '');
    assert.ok(Array.isArray(caps.codecs ?? caps.routerRtpCapabilities?.codecs), 'router capabilities');

    const bid = `ffmpeg-${randomId(6)}`;
    const created = await apiB.createBroadcaster(bid);
    assert.ok(Array.isArray(created.peers));
    assert.ok(created.peers.some((p) => p.id === viewer.peerId), 'the viewer is listed');
    const np = await viewer.waitNotification('newPeer', (d) => d.id === bid);
    assert.equal(np.data.device.flag, 'broadcaster');
    assert.equal(np.data.device.name, 'FFmpeg');

    const audioT = await apiA.createPlain(bid);
    const videoT = await apiB.createPlain(bid);
    for (const t of [audioT, videoT]) {
      assert.match(t.id, /^[0-9a-f-]{36}$/);
      assert.equal(t.ip, '127.0.0.1');
      assert.ok(t.port > 0 && t.rtcpPort > 0 && t.port !== t.rtcpPort, JSON.stringify(t));
      assert.equal(t.srtpParameters, undefined);
    }
    const audio = await apiB.produce(bid, audioT.id, 'audio', opusParams());
    const video = await apiA.produce(bid, videoT.id, 'video', vp8Params());
    assert.match(audio.id, /^[0-9a-f-]{36}$/);

    // The viewer is offered both, and mediasoup-client takes them.
    for (const [p, kind] of [[audio, 'audio'], [video, 'video']]) {
      const nc = await viewer.waitNewConsumer((d) => d.producerId === p.id, `newConsumer of ${kind}`);
      assert.equal(nc.kind, kind);
      assert.equal(nc.peerId, bid);
      assert.equal(nc.type, 'simple');
      await waitFor(() => viewer.consumers.get(nc.id), { what: `${kind} consumer taken` });
    }
    assert.deepEqual(viewer.errors, []);
    const rec = await record(roomId, 'producers', video.id);
    assert.equal(rec.peerId, bid);
    assert.equal(rec.rtpParameters.encodings[0].ssrc, SEED.video.ssrc);

    await apiA.deleteBroadcaster(bid);
    await viewer.waitNotification('peerClosed', (d) => d.peerId === bid);
    for (const p of [audio, video]) {
      await viewer.waitNotification('consumerClosed', (d) => viewer.newConsumers.some(
        (nc) => nc.id === d.consumerId && nc.producerId === p.id));
      assert.equal(await record(roomId, 'producers', p.id), null);
    }
    assert.equal(await record(roomId, 'transports', audioT.id), null);
    assert.equal(await record(roomId, 'peers', bid), null);
    // The viewer's room is still there.
    assert.ok(await record(roomId, 'peers', viewer.peerId));
  } finally {
    viewer.close();
  }
}));

test('current routes: peerId, join, producers and consumers in the body, resume', { timeout: 60000 }, wrap(async () => {
  const roomId = randomId(8);
  const api = new BroadcasterApi(c.controllers[0], roomId);
  const viewer = await FakeClient.open(c.controllers[1], roomId, { name: 'viewer' });
  try {
    await viewer.setup();
    const mic = await viewer.produce('audio');
    const cam = await viewer.produce('video');

    const bid = `gst-${randomId(6)}`;
    let r = await api.call('POST', '/broadcasters', { peerId: bid, displayName: 'GStreamer',
                                                      device: { name: 'GStreamer', flag: 'gstreamer' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const t = await api.ok('POST', `/broadcasters/${bid}/transports`, { direction: 'producer', comedia: true, rtcpMux: false });
    assert.equal(t.transportId, t.id);
    assert.ok(t.rtcpPort > 0);
    const out = await api.ok('POST', `/broadcasters/${bid}/transports`, { direction: 'consumer', comedia: false, rtcpMux: true });
    assert.equal(out.rtcpPort, undefined);
    assert.equal(viewer.notifications.some((n) => n.method === 'newPeer' && n.data?.peer?.peerId === bid), false,
                 'no newPeer before join');

    // Producing before joining is refused; joining announces the peer.
    r = await api.call('POST', `/broadcasters/${bid}/producers`, { transportId: t.transportId, kind: 'audio', rtpParameters: opusParams() });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    await api.ok('POST', `/broadcasters/${bid}/join`);
    const np = await viewer.waitNotification('newPeer', (d) => d.peer?.peerId === bid);
    assert.equal(np.data.peer.displayName, 'GStreamer');

    r = await api.call('POST', `/broadcasters/${bid}/producers`,
                       { transportId: t.transportId, kind: 'video', rtpParameters: vp8Params(), appData: { source: 'video' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.producerId, r.body.id);
    const nc = await viewer.waitNewConsumer((d) => d.producerId === r.body.producerId, 'newConsumer');
    assert.equal(nc.appData.source, 'video');
    assert.equal(nc.appData.peerId, bid);

    // The broadcaster consumes the viewer's camera, paused, then resumes it.
    const routerCaps = viewer.device.rtpCapabilities;
    r = await api.call('POST', `/broadcasters/${bid}/consumers`,
                       { transportId: out.transportId, producerId: cam.id, paused: true, rtpCapabilities: routerCaps });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'video');
    assert.equal(r.body.rtpParameters.mid, '0');
    let crec = await record(roomId, 'consumers', r.body.consumerId);
    assert.equal(crec.paused, true);
    await api.ok('POST', `/broadcasters/${bid}/consumers/${r.body.consumerId}/resume`);
    crec = await record(roomId, 'consumers', r.body.consumerId);
    assert.equal(crec.paused, false);
    assert.ok(mic.id);
  } finally {
    viewer.close();
  }
}));

test('legacy consume: the broadcaster\'s rtpCapabilities, router payload types, MIDs', { timeout: 60000 }, wrap(async () => {
  const roomId = randomId(8);
  const api = new BroadcasterApi(c.controllers[1], roomId);
  const viewer = await FakeClient.open(c.controllers[0], roomId, { legacy: true, name: 'viewer' });
  try {
    await viewer.setup();
    const mic = await viewer.produce('audio');
    const cam = await viewer.produce('video');
    const caps = await api.ok('GET', '');
    const routerCaps = caps.routerRtpCapabilities ?? caps;
    const bid = `rec-${randomId(6)}`;
    const created = await api.createBroadcaster(bid, { rtpCapabilities: routerCaps });
    const listed = created.peers.find((p) => p.id === viewer.peerId);
    assert.deepEqual(listed.producers.map((p) => p.kind).sort(), ['audio', 'video']);
    const t = await api.createPlain(bid, { comedia: false, rtcpMux: true });
    const a = await api.consume(bid, t.id, mic.id);
    const v = await api.consume(bid, t.id, cam.id);
    assert.equal(a.producerId, mic.id);
    assert.equal(a.kind, 'audio');
    assert.equal(v.type, 'simple');
    assert.equal(a.rtpParameters.mid, '0');
    assert.equal(v.rtpParameters.mid, '1');
    const opus = routerCaps.codecs.find((x) => x.mimeType === 'audio/opus');
    assert.equal(a.rtpParameters.codecs[0].payloadType, opus.preferredPayloadType);
    for (const ext of v.rtpParameters.headerExtensions) {
      const capExt = routerCaps.headerExtensions.find((h) => h.uri === ext.uri && h.kind === 'video');
      assert.equal(ext.id, capExt.preferredId, ext.uri);
    }
    assert.ok(v.rtpParameters.encodings[0].ssrc >= 1e8);
    assert.ok(v.rtpParameters.encodings[0].rtx?.ssrc, 'video consumers get RTX');

    // An endpoint that can only take opus: a subset of the router's
    // capabilities. Audio keeps the router's payload type and extension
    // ids; the camera cannot be consumed.
    const audioOnly = {
      codecs: routerCaps.codecs.filter((x) => x.mimeType === 'audio/opus'),
      headerExtensions: routerCaps.headerExtensions.filter((h) => h.kind === 'audio'),
    };
    const bid2 = `opus-${randomId(6)}`;
    await api.createBroadcaster(bid2, { rtpCapabilities: audioOnly });
    const t2 = await api.createPlain(bid2, { comedia: false, rtcpMux: true });
    const a2 = await api.consume(bid2, t2.id, mic.id);
    assert.equal(a2.rtpParameters.codecs.length, 1);
    assert.equal(a2.rtpParameters.codecs[0].payloadType, opus.preferredPayloadType);
    assert.ok(a2.rtpParameters.headerExtensions.length > 0);
    for (const h of a2.rtpParameters.headerExtensions) {
      assert.ok(audioOnly.headerExtensions.some((x) => x.uri === h.uri && x.preferredId === h.id), h.uri);
    }
    const r = await api.call('POST', `/broadcasters/${bid2}/transports/${t2.id}/consume?producerId=${cam.id}`);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error, /cannot consume/);
  } finally {
    viewer.close();
  }
}));

test('a broadcaster\'s WebRTC transport: ICE and DTLS parameters, connect', { timeout: 30000 }, wrap(async () => {
  const api = new BroadcasterApi(c.controllers[0], randomId(8));
  const bid = `web-${randomId(6)}`;
  await api.createBroadcaster(bid);
  const t = await api.ok('POST', `/broadcasters/${bid}/transports`, { type: 'webrtc' });
  assert.equal(t.iceParameters.iceLite, true);
  assert.ok(t.iceParameters.usernameFragment.length >= 16);
  assert.deepEqual(t.iceCandidates.map((x) => x.protocol).sort(), ['tcp', 'udp']);
  assert.ok(t.dtlsParameters.fingerprints.some((f) => f.algorithm === 'sha-256'));
  const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }] };
  let r = await api.call('POST', `/broadcasters/${bid}/transports/${t.id}/connect`, { dtlsParameters: { role: 'boss' } });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  await api.ok('POST', `/broadcasters/${bid}/transports/${t.id}/connect`, { dtlsParameters });
  r = await api.call('POST', `/broadcasters/${bid}/transports/${t.id}/connect`, { dtlsParameters });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  await api.deleteBroadcaster(bid);
}));

test('bad input: clear 4xx errors, nothing leaks or crashes', { timeout: 60000 }, wrap(async () => {
  const roomId = randomId(8);
  const api = new BroadcasterApi(c.controllers[0], roomId);
  const bid = `bad-${randomId(6)}`;
  const expect = async (method, path, body, status, pattern, opts) => {
    const r = await api.call(method, path, body, opts);
    assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)} -> ${JSON.stringify(r.body)}`);
    assert.equal(typeof r.body?.error, 'string', `JSON error body: ${JSON.stringify(r.body)}`);
    if (pattern) assert.match(r.body.error, pattern);
  };
  await expect('POST', '/broadcasters', undefined, 400, /missing body.id/);
  await expect('POST', '/broadcasters', undefined, 400, /invalid JSON/, { raw: '{"id": ' });
  await expect('POST', '/broadcasters', undefined, 400, /not an object/, { raw: '[1,2]' });
  await expect('POST', '/broadcasters', { id: bid, displayName: 'x' }, 400, /device\.name/);
  await expect('POST', '/broadcasters', { id: 7, displayName: 'x', device: { name: 'n' } }, 400, /"id"/);
  await api.createBroadcaster(bid);
  await expect('POST', '/broadcasters', { id: bid, displayName: 'x', device: { name: 'n' } }, 409, /already exists/);
  await expect('POST', '/broadcasters/nobody/transports', { type: 'plain' }, 404, /does not exist/);
  await expect('POST', `/broadcasters/${bid}/transports`, { type: 'carrier-pigeon' }, 400, /invalid type/);
  await expect('POST', `/broadcasters/${bid}/transports`, { type: 'plain', enableSrtp: true, srtpCryptoSuite: 'ROT13' }, 400,
               /invalid srtpCryptoSuite/);
  await expect('POST', `/broadcasters/${bid}/transports`, { type: 'plain', rtcpMux: 'yes' }, 400, /rtcpMux/);

  const plain = await api.createPlain(bid, { comedia: false, rtcpMux: false });
  const srtp = await api.createPlain(bid, { comedia: true, rtcpMux: true, enableSrtp: true });
  assert.equal(srtp.srtpParameters.cryptoSuite, 'AES_CM_128_HMAC_SHA1_80');
  assert.equal(Buffer.from(srtp.srtpParameters.keyBase64, 'base64').length, 30);
  const conn = `/broadcasters/${bid}/transports/${plain.id}/connect`;
  await expect('POST', conn, { ip: '300.1.1.1', port: 5004, rtcpPort: 5005 }, 400, /invalid ip/);
  await expect('POST', conn, { ip: 'localhost', port: 5004, rtcpPort: 5005 }, 400, /invalid ip/);
  await expect('POST', conn, { ip: '127.0.0.1', port: 0, rtcpPort: 5005 }, 400, /invalid port/);
  await expect('POST', conn, { ip: '127.0.0.1', port: 70000, rtcpPort: 5005 }, 400, /invalid port/);
  await expect('POST', conn, { ip: '127.0.0.1', port: '5004', rtcpPort: 5005 }, 400, /invalid port/);
  await expect('POST', conn, { ip: '127.0.0.1', port: 5004 }, 400, /missing rtcpPort/);
  await expect('POST', conn, { ip: '127.0.0.1', port: 5004, rtcpPort: 5005,
                               srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: srtp.srtpParameters.keyBase64 } },
               400, /SRTP is not enabled/);
  const sconn = `/broadcasters/${bid}/transports/${srtp.id}/connect`;
  await expect('POST', sconn, {}, 400, /missing srtpParameters/);
  await expect('POST', sconn, { srtpParameters: { cryptoSuite: 'AES_CM_256_ROT13', keyBase64: 'AAAA' } }, 400, /cryptoSuite/);
  await expect('POST', sconn, { srtpParameters: { cryptoSuite: 'AEAD_AES_256_GCM', keyBase64: srtp.srtpParameters.keyBase64 } },
               400, /invalid key length for AEAD_AES_256_GCM/);
  await expect('POST', sconn, { srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: '!!!notbase64!!!' } },
               400, /base64/);
  await expect('POST', sconn, { ip: '127.0.0.1', port: 4000, srtpParameters: srtp.srtpParameters }, 400, /comedia/);
  // A good connect, then a second one.
  const remote = Buffer.alloc(30, 7).toString('base64');
  const ok = await api.connect(bid, srtp.id, { srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: remote } });
  assert.equal(ok.srtpParameters.cryptoSuite, 'AES_CM_128_HMAC_SHA1_80');
  await expect('POST', sconn, { srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: remote } }, 409, /already/);

  await expect('POST', `/broadcasters/${bid}/transports/${plain.id}/consume?producerId=nope`, undefined, 400,
               /rtpCapabilities/);
  const withCaps = `cap-${randomId(6)}`;
  const caps = await api.ok('GET', '');
  await api.createBroadcaster(withCaps, { rtpCapabilities: caps.routerRtpCapabilities ?? caps });
  const t2 = await api.createPlain(withCaps);
  await expect('POST', `/broadcasters/${withCaps}/transports/${t2.id}/consume?producerId=nope`, undefined, 404,
               /producer with id "nope" not found/);
  await expect('POST', `/broadcasters/${withCaps}/transports/${t2.id}/consume`, undefined, 400, /producerId/);
  await expect('POST', `/broadcasters/${withCaps}/transports/${plain.id}/consume?producerId=x`, undefined, 404,
               /transport with id/);
  await expect('POST', `/broadcasters/${bid}/transports/${plain.id}/producers`,
               { kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 300, clockRate: 48000, channels: 2 }] } },
               400);
  await expect('POST', `/broadcasters/${bid}/transports/${plain.id}/producers`, { kind: 'smell', rtpParameters: opusParams() },
               400, /invalid kind/);
  await expect('POST', `/broadcasters/${bid}/consumers/nope/resume`, undefined, 404, /consumer/);
  await expect('GET', `/broadcasters/${bid}`, undefined, 405);
  await expect('POST', `/broadcasters/${bid}/frobnicate`, undefined, 404);
  await expect('POST', `/broadcasters/${bid}/transports/${plain.id}/produce/data`, {}, 400,
               /sctpStreamParameters/);
  // Nesting past 32 levels is refused at the door: stored records must stay
  // readable by the room's Redis scripts (cjson stops at 1000 levels).
  const deep = '['.repeat(1000) + ']'.repeat(1000);
  await expect('POST', `/broadcasters/${bid}/transports/${plain.id}/produce/data`, undefined, 400,
               /nested deeper/, { raw: `{"label":"chat","sctpStreamParameters":{"streamId":1},"appData":{"x":${deep}}}` });
  // Should a record that Redis cannot decode get stored all the same, the
  // room's scripts skip it: the DELETE below (a leave) still cleans up.
  await c.redis.call('HSET', c.key(`room:${roomId}:dataproducers`), 'junk', deep);
  await c.redis.call('HSET', c.key(`room:${roomId}:dataconsumers`), 'junk', 'not json');
  // What a broadcaster may make the store and the node hold is bounded:
  // 4096 SCTP streams a transport, 64 data producers.
  await expect('POST', `/broadcasters/${bid}/transports`,
               { type: 'plain', sctpCapabilities: { numStreams: { OS: 5000, MIS: 1024 } } }, 400, /numStreams\.OS/);
  const sctpT = await api.createPlain(bid, { comedia: true, rtcpMux: true,
                                            sctpCapabilities: { numStreams: { OS: 1024, MIS: 1024 } } });
  const dataPath = `/broadcasters/${bid}/transports/${sctpT.id}/produce/data`;
  for (let i = 0; i < 64; i++) await api.ok('POST', dataPath, { label: 'x', sctpStreamParameters: { streamId: i } });
  await expect('POST', dataPath, { label: 'x', sctpStreamParameters: { streamId: 64 } }, 409, /too many data producers/);
  await expect('POST', '/broadcasters', undefined, 413, /too large/, { raw: `{"id":"${'x'.repeat(300 * 1024)}"}` });
  await expect('DELETE', '/broadcasters/nobody', undefined, 404);

  // Everything it made goes with DELETE; the processes are all fine.
  await api.deleteBroadcaster(bid);
  await api.deleteBroadcaster(withCaps);
  await waitFor(async () => (await c.redis.call('HLEN', c.key(`room:${roomId}:transports`))) === 0,
                { what: 'transport records gone' });
  for (const p of c.procs) assert.ok(p.alive, `${p.name} still running`);
  const health = await fetch(`${c.controllers[0].httpUrl}/healthz`);
  assert.equal(health.status, 200);
}));

// Raw bytes to the controller's HTTP port; resolves with what came back
// once the server closes or after waitMs.
function rawHttp(ctl, chunks, { waitMs = 1500, closeAfterMs } = {}) {
  const u = new URL(ctl.httpUrl);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname);
    let out = '';
    const done = () => {
      s.destroy();
      resolve(out);
    };
    s.on('data', (d) => { out += d.toString(); });
    s.on('error', () => {});
    s.on('close', () => resolve(out));
    s.on('connect', async () => {
      for (const ch of chunks) {
        s.write(ch);
        await sleep(50);
      }
      if (closeAfterMs !== undefined) setTimeout(done, closeAfterMs);
    });
    setTimeout(done, waitMs);
  });
}

test('HTTP edges: pipelining, chunked bodies, half-sent bodies, early disconnects', { timeout: 30000 }, wrap(async () => {
  const ctl = c.controllers[0];
  // Two requests before the first answer: the connection closes, nothing leaks.
  let out = await rawHttp(ctl, ['GET /rooms/rp HTTP/1.1\r\nHost: x\r\n\r\nGET /rooms/rp HTTP/1.1\r\nHost: x\r\n\r\n']);
  assert.ok((out.match(/HTTP\/1.1 200/g) ?? []).length <= 1, out.slice(0, 200));
  // Chunked bodies are refused at once.
  out = await rawHttp(ctl, ['POST /rooms/rc/broadcasters HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n' +
                            'Content-Type: application/json\r\n\r\n5\r\n{"a":\r\n']);
  assert.match(out, /^HTTP\/1.1 411/, out.slice(0, 200));
  // A Content-Length over the limit: 413 before the body is read.
  out = await rawHttp(ctl, ['POST /rooms/rc/broadcasters HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n{']);
  assert.match(out, /^HTTP\/1.1 413/, out.slice(0, 200));
  // Half a body, then the client goes; and a client that goes before the answer.
  for (let i = 0; i < 3; i++) {
    await rawHttp(ctl, ['POST /rooms/rc/broadcasters HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n', 'x'.repeat(100000)],
                  { closeAfterMs: 50 });
    await rawHttp(ctl, ['DELETE /rooms/rc/broadcasters/nobody HTTP/1.1\r\nHost: x\r\n\r\n'], { closeAfterMs: 0 });
  }
  const health = await fetch(`${ctl.httpUrl}/healthz`);
  assert.equal(health.status, 200);
}));

test('a socket peer cannot take a broadcaster\'s id; the room closes with its last socket peer', { timeout: 30000 }, wrap(async () => {
  const roomId = randomId(8);
  const api = new BroadcasterApi(c.controllers[0], roomId);
  const viewer = await FakeClient.open(c.controllers[0], roomId, { name: 'viewer' });
  await viewer.setup();
  const bid = `taken-${randomId(6)}`;
  await api.createBroadcaster(bid);
  const t = await api.createPlain(bid);
  // A protoo peer with the broadcaster's id is closed; the broadcaster stays.
  const intruder = await ProtooPeer.connect(c.controllers[0].wsUrl(roomId, bid));
  await waitFor(() => intruder.events.includes('close') || intruder.events.includes('disconnected'),
                { what: 'the intruder closed' });
  intruder.close();
  assert.ok(await record(roomId, 'peers', bid), 'the broadcaster is still there');
  assert.ok(await record(roomId, 'transports', t.id));
  // At most BRAID_BCAST_MAX_PER_ROOM (32) broadcasters in a room.
  for (let i = 1; i < 32; i++) await api.createBroadcaster(`${bid}-${i}`);
  const r = await api.call('POST', '/broadcasters', { id: `${bid}-x`, displayName: 'x', device: { name: 'x' } });
  assert.equal(r.status, 409);
  assert.match(r.body.error, /too many broadcasters/);
  // The last socket peer leaves: the room closes, broadcasters and all.
  viewer.close();
  await waitFor(async () => (await c.redis.call('EXISTS', c.key(`room:${roomId}:peers`))) === 0,
                { what: 'the room closed' });
  assert.equal(await record(roomId, 'transports', t.id), null);
  assert.equal((await api.call('DELETE', `/broadcasters/${bid}`)).status, 404);
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
