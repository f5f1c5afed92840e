// Deadlines and Redis outages.
// - A command a media node does not answer in time (the node is frozen with
//   SIGSTOP) ends in a clear protoo error for the client; the node, thawed,
//   drops the stale command and counts it as expired; service resumes.
// - Redis restarting: every process reconnects with backoff (controller
//   /healthz reports 503 meanwhile), nodes register again, rooms work again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { HOST, Proc, httpGet, randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { NODE_DEVICE, loadDevice, newPeerId, ProtooPeer } from './lib/peers.mjs';
import { RedisClient } from './lib/redis.mjs';

const REQUEST_TIMEOUT_MS = 800;

let c;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('resilience', { controllers: 0, mediads: 1 });
  await c.startController({ args: ['--request-timeout', String(REQUEST_TIMEOUT_MS)] });
});

after(async () => {
  await c?.stop();
});

async function joinNewRoom() {
  const p = await ProtooPeer.connect(c.controllers[0].wsUrl(randomId(8), newPeerId()));
  try {
    const caps = await p.request('getRouterRtpCapabilities');
    const dev = await loadDevice(caps.routerRtpCapabilities);
    const j = await p.request('join', { displayName: 'r', device: NODE_DEVICE, rtpCapabilities: dev.recvRtpCapabilities });
    assert.deepEqual(j.peers, []);
  } finally {
    p.close();
  }
}

test('a node that does not answer in time gives the client a clear error', { timeout: 30000 }, wrap(async (t) => {
  const node = c.mediads[0];
  const key = c.key(`node:${node.nodeId}`);
  const expiredBefore = Number((await c.redis.hgetall(key)).cmd_expired);
  const p = await ProtooPeer.connect(c.controllers[0].wsUrl(randomId(8), newPeerId()));
  process.kill(node.proc.child.pid, 'SIGSTOP');
  let thawed = false;
  try {
    const t0 = Date.now();
    await assert.rejects(p.request('getRouterRtpCapabilities'), (err) => {
      assert.equal(err.code, 500);
      assert.equal(err.message, 'media node did not answer in time');
      return true;
    });
    const waited = Date.now() - t0;
    t.diagnostic(`error after ${waited} ms (deadline ${REQUEST_TIMEOUT_MS} ms)`);
    assert.ok(waited >= REQUEST_TIMEOUT_MS - 50, `not before the deadline (${waited} ms)`);
    // Thaw before the node key's 3 s TTL runs out.
    process.kill(node.proc.child.pid, 'SIGCONT');
    thawed = true;
    await waitFor(async () => Number((await c.redis.hgetall(key)).cmd_expired) > expiredBefore,
                  { timeoutMs: 5000, what: 'the stale command counted in cmd_expired' });
    const caps = await p.request('getRouterRtpCapabilities');
    assert.ok(caps.routerRtpCapabilities.codecs.length > 0);
  } finally {
    if (!thawed) process.kill(node.proc.child.pid, 'SIGCONT');
    p.close();
  }
}));

test('Redis restarting: everyone reconnects and serves again', { timeout: 60000 }, wrap(async (t) => {
  const ctl = c.controllers[0];
  const node = c.mediads[0];
  await joinNewRoom();

  // Stop Redis; the controller reports it.
  const port = c.redisPort;
  for (const cl of c.clients) cl.close?.();
  c.clients = [];
  await c.redisProc.stop();
  await waitFor(async () => (await httpGet(`${ctl.httpUrl}/healthz`)).status === 503,
                { timeoutMs: 5000, what: '/healthz 503 while Redis is down' });
  await sleep(1500); // a few failed reconnection attempts

  // Start it again on the same port (empty: no persistence).
  const p = new Proc(c, 'redis-2', 'redis-server', [
    '--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no',
    '--dir', c.dir, '--protected-mode', 'yes', '--daemonize', 'no', '--loglevel', 'notice',
  ]);
  c.procs.push(p);
  c.redisProc = p;
  await p.waitForLine(/Ready to accept connections/);
  const t0 = Date.now();
  c.redis = await RedisClient.connect(port, HOST);
  c.clients.push(c.redis);

  await waitFor(async () => (await httpGet(`${ctl.httpUrl}/healthz`)).status === 200,
                { timeoutMs: 5000, what: '/healthz 200 after Redis is back' });
  await waitFor(async () => (await c.redis.call('EXISTS', c.key(`node:${node.nodeId}`))) === 1,
                { timeoutMs: 5000, what: 'the node registered again' });
  t.diagnostic(`controller and node back ${Date.now() - t0} ms after Redis`);
  await joinNewRoom();
}));

test('every process is alive and exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  for (const proc of c.procs) {
    if (!proc.expectedExit) assert.ok(proc.alive, `${proc.name} still running`);
  }
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
