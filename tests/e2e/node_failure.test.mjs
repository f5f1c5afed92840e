// A media daemon killed with SIGKILL: its node key vanishes within 3 s (TTL),
// it leaves the node set, braidctl stops listing it, and new rooms get their
// router on the live node.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { loadDevice, NODE_DEVICE, newPeerId, ProtooPeer } from './lib/peers.mjs';

let c;
const wrap = (fn) => (t) => c.wrap(fn)(t);

// The node key's TTL is 3 s, refreshed every second; allow a little for
// polling and scheduling on a loaded 2-core machine.
const VANISH_LIMIT_MS = 3000 + 300;

before(async () => {
  c = await startCluster('node_failure', { controllers: 1, mediads: 2 });
});

after(async () => {
  await c?.stop();
});

async function liveNodesFromCtl() {
  const nodes = await c.braidctlJson(['nodes']);
  assert.ok(Array.isArray(nodes), `braidctl --json nodes prints an array: ${JSON.stringify(nodes)}`);
  return nodes.map((n) => n.id).sort();
}

// A new room: a peer connects, loads caps, joins, and leaves; returns the
// room's routers as braidctl shows them while the peer is in it.
async function newRoomRouters() {
  const roomId = randomId(8);
  const p = await ProtooPeer.connect(c.controllers[0].wsUrl(roomId, newPeerId()));
  try {
    const caps = await p.request('getRouterRtpCapabilities');
    const dev = await loadDevice(caps.routerRtpCapabilities);
    await p.request('join', { displayName: 'x', device: NODE_DEVICE, rtpCapabilities: dev.recvRtpCapabilities });
    const room = await c.braidctlJson(['room', roomId]);
    assert.equal(room.id, roomId);
    return room.routers;
  } finally {
    p.close();
  }
}

test('both nodes are registered with all the documented fields', { timeout: 20000 }, wrap(async () => {
  const ids = c.mediads.map((m) => m.nodeId).sort();
  assert.notEqual(ids[0], ids[1], 'node ids differ');
  assert.deepEqual(await liveNodesFromCtl(), ids);
  assert.deepEqual((await c.redis.call('ZRANGE', c.key('nodes'), 0, -1)).sort(), ids);
  for (const m of c.mediads) {
    const h = await c.redis.hgetall(c.key(`node:${m.nodeId}`));
    for (const f of ['id', 'ip', 'announced_ip', 'rtc_port', 'version', 'started_ms', 'load', 'routers',
                     'cmd_ok', 'cmd_bad', 'cmd_expired']) {
      assert.ok(f in h, `node hash has field ${f}: ${JSON.stringify(h)}`);
    }
    assert.equal(h.id, m.nodeId);
    assert.equal(h.ip, '127.0.0.1');
    assert.equal(h.announced_ip, '127.0.0.1');
    assert.equal(Number(h.rtc_port), m.rtcPort);
    const ttl = await c.redis.call('PTTL', c.key(`node:${m.nodeId}`));
    assert.ok(ttl > 0 && ttl <= 3000, `node key TTL in (0, 3000] ms, got ${ttl}`);
  }
}));

test('SIGKILL a media daemon: key gone within 3 s, out of the node set and braidctl; new rooms on the live node',
     { timeout: 60000 }, wrap(async (t) => {
  // Kill the node a new room would pick first (lowest load), so that placement
  // must really skip the dead one.
  const byLoad = await c.redis.call('ZRANGE', c.key('nodes'), 0, -1);
  const victim = c.mediads.find((m) => m.nodeId === byLoad[0]);
  const survivor = c.mediads.find((m) => m !== victim);
  assert.ok(victim && survivor, `nodes in ${c.key('nodes')}: ${JSON.stringify(byLoad)}`);
  const victimKey = c.key(`node:${victim.nodeId}`);

  const t0 = Date.now();
  await victim.proc.crash();
  const gone = await waitFor(async () => (await c.redis.call('EXISTS', victimKey)) === 0 && Date.now(),
                             { timeoutMs: 6000, intervalMs: 20, what: `${victimKey} to expire` });
  const elapsed = gone - t0;
  t.diagnostic(`node key vanished ${elapsed} ms after SIGKILL`);
  assert.ok(elapsed <= VANISH_LIMIT_MS, `node key vanished ${elapsed} ms after SIGKILL (limit 3 s)`);

  await waitFor(async () => (await c.redis.call('ZSCORE', c.key('nodes'), victim.nodeId)) === null,
                { timeoutMs: 5000, what: `${victim.nodeId} to leave ${c.key('nodes')}` });
  assert.deepEqual(await liveNodesFromCtl(), [survivor.nodeId]);
  const text = await c.braidctl(['nodes']);
  assert.equal(text.code, 0, text.stderr);
  assert.ok(text.stdout.includes(survivor.nodeId), `braidctl nodes lists the live node:\n${text.stdout}`);
  assert.ok(!text.stdout.includes(victim.nodeId), `braidctl nodes omits the dead node:\n${text.stdout}`);

  // The survivor keeps heartbeating.
  assert.equal(await c.redis.call('EXISTS', c.key(`node:${survivor.nodeId}`)), 1);

  for (let i = 0; i < 3; i++) {
    const routers = await newRoomRouters();
    assert.equal(routers.length, 1, `one router per new room: ${JSON.stringify(routers)}`);
    assert.equal(routers[0].node, survivor.nodeId, 'new room placed on the live node');
  }
}));

test('every remaining process is alive and exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  for (const p of c.procs) {
    if (!p.expectedExit) assert.ok(p.alive, `${p.name} still running`);
  }
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
