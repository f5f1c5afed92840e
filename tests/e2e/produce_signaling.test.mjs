// produce / newConsumer / pause / close through real protoo clients and the
// real mediasoup-client (its FakeHandler: no browser, but every parameter
// mediasoup-client checks is checked): peers on two controllers, one media
// node. Producers made with Transport.produce(), consumers taken with
// Transport.consume() from the newConsumer the controller sends; the
// producer and consumer records in Redis; pause, resume and close in both
// dialects (notifications in the current one, requests in the legacy one);
// a late joiner consuming what exists; a leaving peer's producers closing
// at the others; the errors of the controller's checks.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { FakeClient as Client } from './lib/fake_client.mjs';
import { NODE_DEVICE } from './lib/peers.mjs';

let c;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('produce_signaling', { controllers: 2, mediads: 1 });
});

after(async () => {
  await c?.stop();
});

const producersKey = (roomId) => c.key(`room:${roomId}:producers`);
const consumersKey = (roomId) => c.key(`room:${roomId}:consumers`);

async function record(key, id) {
  const text = await c.redis.call('HGET', key, id);
  return text ? JSON.parse(text) : null;
}

function waitRecord(key, id, pred, what) {
  return waitFor(async () => {
    const r = await record(key, id);
    return r && pred(r) ? r : null;
  }, { timeoutMs: 10000, what });
}

test('current dialect: produce, newConsumer on another controller, pause/resume/close',
     { timeout: 90000 }, wrap(async () => {
  const [ctlA, ctlB] = c.controllers;
  const roomId = randomId(8);
  const a = await Client.open(ctlA, roomId, { name: 'A' });
  const b = await Client.open(ctlB, roomId, { name: 'B' });
  try {
    await a.setup();
    await b.setup();

    // Audio: a simple producer.
    const mic = await a.produce('audio');
    assert.match(mic.id, /^[0-9a-f-]{36}$/, 'producerId is a UUID');
    const prec = await record(producersKey(roomId), mic.id);
    assert.ok(prec, 'producer record in Redis');
    assert.equal(Object.keys(prec)[0], 'paused', 'paused is the record\'s first key');
    assert.equal(prec.paused, false);
    assert.equal(prec.peerId, a.peerId);
    assert.equal(prec.kind, 'audio');
    assert.equal(prec.type, 'simple');
    assert.equal(prec.transportId, a.send.id);
    assert.equal(prec.node, c.mediads[0].nodeId);
    assert.deepEqual(prec.appData, { source: 'audio', peerId: a.peerId });
    assert.equal(prec.rtpParameters.rtcp.cname, mic.rtpParameters.rtcp.cname, 'the client CNAME is kept');
    assert.ok(Array.isArray(prec.consumable.codecs) && prec.consumable.codecs.length >= 1);
    const trec = JSON.parse(await c.redis.call('HGET', c.key(`room:${roomId}:transports`), a.send.id));
    assert.equal(trec.cname, mic.rtpParameters.rtcp.cname, 'the transport record keeps the CNAME');

    const nc = await b.waitNewConsumer((d) => d.producerId === mic.id, 'newConsumer for A\'s mic');
    assert.deepEqual(Object.keys(nc).sort(), ['appData', 'consumerId', 'consumerScore', 'kind', 'peerId',
      'producerId', 'producerPaused', 'rtpParameters', 'transportId', 'type'].sort());
    assert.equal(nc.peerId, a.peerId);
    assert.equal(nc.transportId, b.recv.id);
    assert.equal(nc.kind, 'audio');
    assert.equal(nc.type, 'simple');
    assert.equal(nc.producerPaused, false);
    assert.deepEqual(nc.appData, { source: 'audio', peerId: a.peerId });
    assert.deepEqual(nc.consumerScore, { score: 10, producerScore: 10, producerScores: [] });
    assert.equal(nc.rtpParameters.mid, '0', 'first consumer of the transport gets mid "0"');
    assert.equal(nc.rtpParameters.encodings.length, 1);
    assert.ok(nc.rtpParameters.encodings[0].ssrc >= 1e8 && nc.rtpParameters.encodings[0].ssrc < 1e9);
    assert.equal(nc.rtpParameters.rtcp.cname, mic.rtpParameters.rtcp.cname);
    assert.equal(nc.rtpParameters.codecs[0].mimeType.toLowerCase(), 'audio/opus');
    assert.ok(!a.newConsumers.length, 'the owner does not consume itself');
    await waitFor(() => b.consumers.has(nc.consumerId), { what: 'B took the consumer' });
    assert.deepEqual(b.errors, []);
    const crec = await waitRecord(consumersKey(roomId), nc.consumerId, (r) => r.paused === false,
                                  'consumer record resumed after the answer');
    assert.equal(crec.producerId, mic.id);
    assert.equal(crec.peerId, b.peerId);
    assert.ok(!b.notifications.some((n) => n.method === 'consumerScore'), 'no consumerScore in the current dialect');

    // Stats from the node: {stats: [...]} in the current dialect.
    for (const [cl, method, data] of [[a, 'getTransportStats', { transportId: a.send.id }],
                                      [a, 'getProducerStats', { producerId: mic.id }],
                                      [b, 'getConsumerStats', { consumerId: nc.consumerId }]]) {
      const r = await cl.request(method, data);
      assert.deepEqual(Object.keys(r), ['stats'], `${method} answers {stats}`);
      // No RTP flows here: a producer has no stream stats yet (mediasoup gives [] too).
      assert.ok(Array.isArray(r.stats), `${method}: ${JSON.stringify(r)}`);
      for (const st of r.stats) assert.equal(typeof st.type, 'string', `${method}: stats entries have a type`);
    }
    await assert.rejects(b.request('getProducerStats', { producerId: mic.id }),
                         /producer with id .* not found/, 'stats only of one\'s own producer');

    // Video: VP8 simulcast, three encodings.
    const cam = await a.produce('video', {
      encodings: [{ maxBitrate: 100000 }, { maxBitrate: 300000 }, { maxBitrate: 900000 }],
      codec: a.device.rtpCapabilities.codecs.find((x) => x.mimeType.toLowerCase() === 'video/vp8'),
    });
    const vc = await b.waitNewConsumer((d) => d.producerId === cam.id, 'newConsumer for A\'s camera');
    assert.equal(vc.kind, 'video');
    assert.equal(vc.type, 'simulcast');
    assert.equal(vc.rtpParameters.mid, '1', 'second consumer of the transport gets mid "1"');
    assert.equal(vc.rtpParameters.encodings[0].scalabilityMode, 'L3T1');
    assert.equal(vc.rtpParameters.encodings[0].maxBitrate, 900000);
    assert.ok(vc.rtpParameters.encodings[0].rtx?.ssrc, 'video consumer has RTX');
    assert.equal(vc.rtpParameters.codecs[0].mimeType.toLowerCase(), 'video/vp8');
    await waitFor(() => b.consumers.has(vc.consumerId), { what: 'B took the video consumer' });
    const cameraRec = await record(producersKey(roomId), cam.id);
    assert.equal(cameraRec.type, 'simulcast');
    assert.equal(cameraRec.rtpParameters.rtcp.cname, mic.rtpParameters.rtcp.cname, 'one CNAME per transport');

    // Producer pause/resume (notifications) -> consumerPaused/Resumed.
    await a.control('pauseProducer', { producerId: cam.id });
    await b.waitNotification('consumerPaused', (d) => d.consumerId === vc.consumerId);
    await waitRecord(producersKey(roomId), cam.id, (r) => r.paused === true, 'producer record paused');
    await a.control('pauseProducer', { producerId: cam.id }); // already paused: no second event
    await a.control('resumeProducer', { producerId: cam.id });
    await b.waitNotification('consumerResumed', (d) => d.consumerId === vc.consumerId);
    await waitRecord(producersKey(roomId), cam.id, (r) => r.paused === false, 'producer record resumed');
    assert.equal(b.notifications.filter((n) => n.method === 'consumerPaused').length, 1);

    // Consumer pause/resume/key frame (notifications) from B.
    await b.control('pauseConsumer', { consumerId: vc.consumerId });
    await waitRecord(consumersKey(roomId), vc.consumerId, (r) => r.paused === true, 'consumer record paused');
    await b.control('requestConsumerKeyFrame', { consumerId: vc.consumerId });
    await b.control('setConsumerPreferredLayers', { consumerId: vc.consumerId, spatialLayer: 1, temporalLayer: 0 });
    await b.control('setConsumerPriority', { consumerId: vc.consumerId, priority: 2 });
    await b.control('resumeConsumer', { consumerId: vc.consumerId });
    await waitRecord(consumersKey(roomId), vc.consumerId, (r) => r.paused === false, 'consumer record resumed');

    // Close the camera: B's consumer closes, the records go.
    await a.control('closeProducer', { producerId: cam.id });
    await b.waitNotification('consumerClosed', (d) => d.consumerId === vc.consumerId);
    await waitFor(async () => (await c.redis.call('HEXISTS', producersKey(roomId), cam.id)) === 0 &&
                              (await c.redis.call('HEXISTS', consumersKey(roomId), vc.consumerId)) === 0,
                  { what: 'camera producer and consumer records removed' });
    assert.ok(!b.notifications.some((n) => n.method === 'consumerClosed' && n.data.consumerId === nc.consumerId),
              'the mic consumer stays');

    // A late joiner on controller A consumes the mic from the join path.
    const late = await Client.open(ctlA, roomId, { name: 'late' });
    try {
      await late.setup();
      const lc = await late.waitNewConsumer((d) => d.producerId === mic.id, 'late joiner consumes the mic');
      assert.equal(lc.rtpParameters.mid, '0');
      await sleep(500);
      assert.equal(late.newConsumers.length, 1, 'exactly one consumer per producer (join and event paths)');

      // A leaves: its mic closes at B and at the late joiner.
      a.close();
      await b.waitNotification('consumerClosed', (d) => d.consumerId === nc.consumerId);
      await late.waitNotification('consumerClosed', (d) => d.consumerId === lc.consumerId);
      await waitFor(async () => (await c.redis.call('HLEN', producersKey(roomId))) === 0 &&
                                (await c.redis.call('HLEN', consumersKey(roomId))) === 0,
                    { what: 'A\'s producer and every consumer record removed' });
    } finally {
      late.close();
    }
  } finally {
    a.close();
    b.close();
  }
  await waitFor(async () => (await c.redis.call('EXISTS', producersKey(roomId))) === 0 &&
                            (await c.redis.call('EXISTS', consumersKey(roomId))) === 0,
                { timeoutMs: 10000, what: 'room keys deleted with the room' });
}));

test('legacy dialect: {id}, newConsumer {id}, consumerScore, controls as requests, refusal',
     { timeout: 90000 }, wrap(async () => {
  const [ctlA, ctlB] = c.controllers;
  const roomId = randomId(8);
  const a = await Client.open(ctlA, roomId, { legacy: true, name: 'A' });
  const b = await Client.open(ctlB, roomId, { legacy: true, name: 'B' });
  const r = await Client.open(ctlB, roomId, { legacy: true, name: 'refuser' });
  try {
    await a.setup();
    await b.setup();
    r.refuse = true;
    await r.setup();
    const mic = await a.produce('audio');
    const nc = await b.waitNewConsumer((d) => d.producerId === mic.id, 'newConsumer (legacy)');
    assert.deepEqual(Object.keys(nc).sort(), ['appData', 'id', 'kind', 'peerId', 'producerId',
      'producerPaused', 'rtpParameters', 'type'].sort());
    assert.deepEqual(nc.appData, { source: 'mic', peerId: a.peerId });
    const score = await b.waitNotification('consumerScore', (d) => d.consumerId === nc.id);
    assert.deepEqual(score.data.score, { score: 10, producerScore: 10, producerScores: [] });

    // The refuser's consumer stays, paused.
    const rc = await r.waitNewConsumer((d) => d.producerId === mic.id, 'refuser gets newConsumer');
    await sleep(500);
    const rrec = await record(consumersKey(roomId), rc.id);
    assert.equal(rrec?.paused, true, `refused consumer stays paused: ${JSON.stringify(rrec)}`);
    assert.ok(!r.notifications.some((n) => n.method === 'consumerScore'));

    assert.deepEqual(await a.control('pauseProducer', { producerId: mic.id }), {});
    await b.waitNotification('consumerPaused', (d) => d.consumerId === nc.id);
    await r.waitNotification('consumerPaused', (d) => d.consumerId === rc.id);
    assert.deepEqual(await a.control('resumeProducer', { producerId: mic.id }), {});
    await b.waitNotification('consumerResumed', (d) => d.consumerId === nc.id);
    assert.deepEqual(await b.control('pauseConsumer', { consumerId: nc.id }), {});
    assert.deepEqual(await b.control('resumeConsumer', { consumerId: nc.id }), {});
    assert.deepEqual(await b.control('requestConsumerKeyFrame', { consumerId: nc.id }), {});
    assert.deepEqual(await b.control('setConsumerPriority', { consumerId: nc.id, priority: 1 }), {});
    const cs = await b.request('getConsumerStats', { consumerId: nc.id });
    assert.ok(Array.isArray(cs), `legacy stats are a bare array: ${JSON.stringify(cs)}`);

    // A paused producer: a new consumer says producerPaused.
    assert.deepEqual(await a.control('pauseProducer', { producerId: mic.id }), {});
    const late = await Client.open(ctlA, roomId, { legacy: true, name: 'late' });
    try {
      await late.setup();
      const lc = await late.waitNewConsumer((d) => d.producerId === mic.id, 'late joiner');
      assert.equal(lc.producerPaused, true);
    } finally {
      late.close();
    }

    assert.deepEqual(await a.control('closeProducer', { producerId: mic.id }), {});
    await b.waitNotification('consumerClosed', (d) => d.consumerId === nc.id);
    await r.waitNotification('consumerClosed', (d) => d.consumerId === rc.id);
  } finally {
    a.close();
    b.close();
    r.close();
  }
}));

async function expectError(p, code, re, what) {
  await assert.rejects(p, (err) => {
    assert.equal(err.code, code, `${what}: error code (${err.message})`);
    assert.match(err.message, re, what);
    return true;
  }, what);
}

test('errors: not joined, unknown ids, bad fields, bad rtpParameters', { timeout: 60000 }, wrap(async () => {
  const [ctlA] = c.controllers;
  const roomId = randomId(8);
  const a = await Client.open(ctlA, roomId, { legacy: true, name: 'A' });
  try {
    await a.setup({ join: false });
    const sendId = a.send.id;
    const params = { codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
                     encodings: [{ ssrc: 11111111 }], rtcp: { cname: 'x' } };
    await expectError(a.request('produce', { transportId: sendId, kind: 'audio', rtpParameters: params }),
                      500, /Peer not yet joined/, 'produce before join');
    await a.request('join', { displayName: 'A', device: NODE_DEVICE, rtpCapabilities: a.device.recvRtpCapabilities });
    await expectError(a.request('produce', { transportId: 'nope', kind: 'audio', rtpParameters: params }),
                      500, /transport with id "nope" not found/, 'unknown transport');
    await expectError(a.request('produce', { transportId: sendId, kind: 7, rtpParameters: params }),
                      400, /"kind" must be a string/, 'kind not a string');
    await expectError(a.request('produce', { transportId: sendId, kind: 'audio' }),
                      400, /"rtpParameters" is required/, 'no rtpParameters');
    await expectError(a.request('produce', { transportId: sendId, kind: 'data', rtpParameters: params }),
                      400, /invalid kind "data"/, 'bad kind');
    await expectError(a.request('produce', { transportId: sendId, kind: 'audio', rtpParameters: params, appData: 3 }),
                      400, /"appData" must be an object/, 'appData not an object');
    await expectError(a.request('produce', { transportId: sendId, kind: 'audio',
                                             rtpParameters: { ...params, codecs: [{ mimeType: 'audio/foo', payloadType: 100, clockRate: 8000 }] } }),
                      400, /unsupported codec/, 'unsupported codec');
    await expectError(a.request('produce', { transportId: sendId, kind: 'audio',
                                             rtpParameters: { ...params, mid: 'x'.repeat(17) } }),
                      400, /mid is too long/, 'over-long mid');
    await expectError(a.request('produce', { transportId: sendId, kind: 'audio',
                                             rtpParameters: { ...params, rtcp: { cname: 'c'.repeat(300) } } }),
                      400, /"cname" is too long/, 'over-long cname');
    // After the refusals the transport still works, with the first valid CNAME.
    const ok = await a.request('produce', { transportId: sendId, kind: 'audio', rtpParameters: params, appData: {} });
    assert.match(ok.id, /^[0-9a-f-]{36}$/);
    await expectError(a.request('closeProducer', { producerId: 'nope' }), 500,
                      /producer with id "nope" not found/, 'unknown producer');
    await expectError(a.request('closeProducer', {}), 400, /"producerId" is required/, 'no producerId');
    await expectError(a.request('pauseConsumer', { consumerId: 'nope' }), 500,
                      /consumer with id "nope" not found/, 'unknown consumer');
    await expectError(a.request('getConsumerStats', { consumerId: 'nope' }), 500,
                      /consumer with id "nope" not found/, 'stats of an unknown consumer');
    await expectError(a.request('getTransportStats', { transportId: 'nope' }), 500,
                      /transport with id "nope" not found/, 'stats of an unknown transport');
    await expectError(a.request('getProducerStats', {}), 400, /"producerId" is required/, 'no producerId');
    await expectError(a.request('setConsumerPriority', { consumerId: 'nope', priority: 1 }), 500,
                      /consumer with id "nope" not found/, 'priority of an unknown consumer');
    await expectError(a.request('resumeProducer', { producerId: 5 }), 400, /"producerId" must be a string/,
                      'producerId not a string');
    assert.deepEqual(await a.request('closeProducer', { producerId: ok.id }), {});
    await expectError(a.request('pauseProducer', { producerId: ok.id }), 500, /not found/, 'closed producer');
    // A notification with bad data is only logged: the socket stays.
    await a.peer.notify('pauseProducer', { producerId: 42 });
    assert.ok(await a.request('getRouterRtpCapabilities'));
  } finally {
    a.close();
  }
}));

test('every process is alive and exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  for (const p of c.procs) assert.ok(p.alive, `${p.name} still running`);
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
