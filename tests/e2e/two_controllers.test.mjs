// Two peers on two different controllers (npm protoo-client, as the
// mediasoup-demo app) get the router capabilities (accepted by
// mediasoup-client's Device.load()), join the same room and see each other;
// closing one gives peerClosed at the other. Current and legacy dialects.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { loadDevice, NODE_DEVICE, newPeerId, ProtooPeer, RawWs } from './lib/peers.mjs';

let c;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('two_controllers', { controllers: 2, mediads: 1 });
});

after(async () => {
  await c?.stop();
});

function assertCaps(caps, where) {
  assert.ok(caps && typeof caps === 'object' && !Array.isArray(caps), `${where}: caps is an object`);
  assert.ok(Array.isArray(caps.codecs) && caps.codecs.length > 0, `${where}: caps.codecs is a non-empty array`);
  assert.ok(Array.isArray(caps.headerExtensions), `${where}: caps.headerExtensions is an array`);
}

async function loadAndCheck(caps, where) {
  const device = await loadDevice(caps);
  assert.equal(device.loaded, true, `${where}: device loaded`);
  assert.equal(device.canProduce('audio'), true, `${where}: device can produce audio`);
  assert.equal(device.canProduce('video'), true, `${where}: device can produce video`);
  const mimes = device.recvRtpCapabilities.codecs.map((x) => x.mimeType.toLowerCase());
  assert.ok(mimes.includes('audio/opus') && mimes.includes('video/vp8'),
            `${where}: recv caps have opus and VP8 (${mimes})`);
  return device;
}

async function roomGone(roomId) {
  await waitFor(async () => (await c.redis.call('SISMEMBER', c.key('rooms'), roomId)) === 0,
                { timeoutMs: 10000, what: `room ${roomId} to leave ${c.key('rooms')}` });
  await waitFor(async () => (await c.redis.call('EXISTS', c.key(`room:${roomId}:routers`))) === 0 &&
                            (await c.redis.call('EXISTS', c.key(`room:${roomId}:peers`))) === 0,
                { timeoutMs: 10000, what: `room ${roomId} peers/routers keys to be deleted` });
  const rooms = await c.braidctlJson(['rooms']);
  assert.ok(Array.isArray(rooms), 'braidctl --json rooms prints an array');
  assert.ok(!rooms.includes(roomId), `braidctl rooms no longer lists ${roomId}: ${JSON.stringify(rooms)}`);
  const nodeKey = c.key(`node:${c.mediads[0].nodeId}`);
  await waitFor(async () => (await c.redis.call('HGET', nodeKey, 'routers')) === '0',
                { timeoutMs: 10000, what: `${nodeKey} routers back to 0 (router closed)` });
}

test('current dialect: peers on two controllers get caps, join, see each other, peerClosed',
     { timeout: 60000 }, wrap(async () => {
  const [ctlA, ctlB] = c.controllers;
  const roomId = randomId(8);
  const idA = newPeerId();
  const idB = newPeerId();
  const a = await ProtooPeer.connect(ctlA.wsUrl(roomId, idA));
  const b = await ProtooPeer.connect(ctlB.wsUrl(roomId, idB));
  try {
    for (const [p, name] of [[a, 'A'], [b, 'B']]) {
      const n = await p.waitNotification('mediasoupVersion');
      assert.equal(typeof n.data.version, 'string', `${name}: mediasoupVersion {version: string}`);
      assert.match(n.data.version, /^3\.\d+\.\d+/);
      assert.ok(!p.hasNotification('mediasoup-version'), `${name}: no legacy mediasoup-version`);
    }

    const capsA = await a.request('getRouterRtpCapabilities');
    const capsB = await b.request('getRouterRtpCapabilities');
    assert.deepEqual(Object.keys(capsA), ['routerRtpCapabilities'], 'response is {routerRtpCapabilities}');
    assertCaps(capsA.routerRtpCapabilities, 'A');
    assertCaps(capsB.routerRtpCapabilities, 'B');
    assert.deepEqual(capsB, capsA, 'both controllers give the same caps for the room');
    const devA = await loadAndCheck(capsA.routerRtpCapabilities, 'A');
    const devB = await loadAndCheck(capsB.routerRtpCapabilities, 'B');

    const joinA = await a.request('join', { displayName: 'Alice', device: NODE_DEVICE,
                                            rtpCapabilities: devA.recvRtpCapabilities });
    assert.deepEqual(joinA.peers, [], 'first joiner sees no peers');

    const joinB = await b.request('join', { displayName: 'Bob', device: NODE_DEVICE,
                                            rtpCapabilities: devB.recvRtpCapabilities });
    assert.equal(joinB.peers.length, 1, `second joiner sees one peer: ${JSON.stringify(joinB.peers)}`);
    const seen = joinB.peers[0];
    assert.equal(seen.peerId, idA);
    assert.equal(seen.displayName, 'Alice');
    assert.deepEqual(seen.device, NODE_DEVICE);
    assert.equal(seen.id, undefined, 'current dialect uses peerId, not id');

    const np = await a.waitNotification('newPeer', (d) => d.peer?.peerId === idB);
    assert.equal(np.data.peer.displayName, 'Bob');
    assert.deepEqual(np.data.peer.device, NODE_DEVICE);

    // The room state in Redis, through braidctl: both peers, each with its
    // controller, and exactly one router (one node in the cluster).
    const room = await c.braidctlJson(['room', roomId]);
    assert.equal(room.id, roomId);
    const byId = Object.fromEntries(room.peers.map((p) => [p.id, p]));
    assert.deepEqual(Object.keys(byId).sort(), [idA, idB].sort());
    assert.equal(byId[idA].controller, ctlA.id);
    assert.equal(byId[idB].controller, ctlB.id);
    assert.equal(byId[idA].displayName, 'Alice');
    assert.equal(byId[idA].joined, true);
    assert.equal(room.routers.length, 1, `one router: ${JSON.stringify(room.routers)}`);
    assert.equal(room.routers[0].node, c.mediads[0].nodeId);
    assert.equal(await c.redis.call('SISMEMBER', c.key('rooms'), roomId), 1);
    assert.ok((await c.braidctlJson(['rooms'])).includes(roomId));

    b.close();
    const pc = await a.waitNotification('peerClosed', (d) => d.peerId === idB);
    assert.equal(pc.data.peerId, idB);
    assert.ok(!b.hasNotification('newPeer', (d) => d.peer?.peerId === idA),
              'B got A in join, not as newPeer');
    await waitFor(async () => (await c.redis.call('HEXISTS', c.key(`room:${roomId}:peers`), idB)) === 0,
                  { what: `peer ${idB} removed from the room's peers` });
  } finally {
    a.close();
    b.close();
  }
  // The last peer left: the room and its router are closed.
  await roomGone(roomId);
}));

test('legacy dialect (&dialect=legacy): mediasoup-version, bare caps, newPeer {id}',
     { timeout: 60000 }, wrap(async () => {
  const [ctlA, ctlB] = c.controllers;
  const roomId = randomId(8);
  const idA = newPeerId();
  const idB = newPeerId();
  const a = await ProtooPeer.connect(ctlA.wsUrl(roomId, idA, '&dialect=legacy'));
  const b = await ProtooPeer.connect(ctlB.wsUrl(roomId, idB, '&dialect=legacy'));
  try {
    for (const [p, name] of [[a, 'A'], [b, 'B']]) {
      const n = await p.waitNotification('mediasoup-version');
      assert.equal(typeof n.data.version, 'string', `${name}: mediasoup-version {version: string}`);
      assert.ok(!p.hasNotification('mediasoupVersion'), `${name}: no current-dialect mediasoupVersion`);
    }
    const capsA = await a.request('getRouterRtpCapabilities');
    const capsB = await b.request('getRouterRtpCapabilities');
    assertCaps(capsA, 'A (bare caps)');
    assert.equal(capsA.routerRtpCapabilities, undefined, 'legacy caps are not wrapped');
    assert.deepEqual(capsB, capsA);
    const devA = await loadAndCheck(capsA, 'A');
    const devB = await loadAndCheck(capsB, 'B');

    const joinA = await a.request('join', { displayName: 'Alice', device: NODE_DEVICE,
                                            rtpCapabilities: devA.rtpCapabilities });
    assert.deepEqual(joinA.peers, []);
    const joinB = await b.request('join', { displayName: 'Bob', device: NODE_DEVICE,
                                            rtpCapabilities: devB.rtpCapabilities });
    assert.equal(joinB.peers.length, 1);
    assert.equal(joinB.peers[0].id, idA, 'legacy join lists peers by id');
    assert.equal(joinB.peers[0].displayName, 'Alice');
    assert.deepEqual(joinB.peers[0].device, NODE_DEVICE);

    const np = await a.waitNotification('newPeer', (d) => d.id === idB);
    assert.equal(np.data.displayName, 'Bob');
    assert.deepEqual(np.data.device, NODE_DEVICE);
    assert.equal(np.data.peer, undefined, 'legacy newPeer is flat');

    b.close();
    await a.waitNotification('peerClosed', (d) => d.peerId === idB);
  } finally {
    a.close();
    b.close();
  }
  await roomGone(roomId);
}));

test('the same peerId connecting to another controller closes the old socket with 4000',
     { timeout: 60000 }, wrap(async () => {
  const [ctlA, ctlB] = c.controllers;
  const roomId = randomId(8);
  const id = newPeerId();
  const old = await RawWs.connect(ctlA.wsUrl(roomId, id));
  let fresh;
  try {
    await old.waitNotification('mediasoupVersion');
    const caps = await old.request('getRouterRtpCapabilities');
    assert.equal(caps.ok, true, JSON.stringify(caps));
    const dev = await loadDevice(caps.data.routerRtpCapabilities);
    const j = await old.request('join', { displayName: 'Old', device: NODE_DEVICE,
                                          rtpCapabilities: dev.recvRtpCapabilities });
    assert.equal(j.ok, true, JSON.stringify(j));

    fresh = await ProtooPeer.connect(ctlB.wsUrl(roomId, id));
    const closed = await old.waitClose(10000);
    assert.equal(closed.code, 4000, `old socket closed with 4000 (got ${JSON.stringify(closed)})`);

    const caps2 = await fresh.request('getRouterRtpCapabilities');
    const dev2 = await loadDevice(caps2.routerRtpCapabilities);
    const j2 = await fresh.request('join', { displayName: 'New', device: NODE_DEVICE,
                                             rtpCapabilities: dev2.recvRtpCapabilities });
    assert.deepEqual(j2.peers, []);
    const room = await c.braidctlJson(['room', roomId]);
    assert.equal(room.peers.length, 1, JSON.stringify(room.peers));
    assert.equal(room.peers[0].controller, ctlB.id);
    assert.equal(room.peers[0].displayName, 'New');
  } finally {
    old.close();
    fresh?.close();
  }
  await roomGone(roomId);
}));

test('every process is alive and exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  for (const p of c.procs) assert.ok(p.alive, `${p.name} still running`);
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
