// Malformed entries on a node's command stream (<prefix>node:<id>:cmd, field
// "m") are dropped and counted (node hash field cmd_bad); the daemon keeps
// running and heartbeating, and well-formed commands after them still work.
//
// Command format (proto/cmd.h): one msgpack map with "v" (version, 1), "t"
// (type), "id" (request id), "rt" (reply channel id: the reply is published on
// <prefix>ctl:<rt>), "dl" (deadline, epoch ms) and the body ("router", "room").
// Replies (proto/reply.h): {"v", "t":"reply", "id", "ok", ...}.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { decode, encode } from './lib/msgpack.mjs';
import { loadDevice, NODE_DEVICE, newPeerId, ProtooPeer } from './lib/peers.mjs';

let c;
let node;
let sub;
const replies = [];
let nBad = 0; // malformed entries sent by the first test
const replyTo = `e2e-${randomId(6)}`;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('node_bad_cmd', { controllers: 1, mediads: 1 });
  node = c.mediads[0];
  sub = await c.redisClient();
  await sub.subscribe(c.key(`ctl:${replyTo}`), (channel, payload) => {
    let msg;
    try {
      msg = decode(payload);
    } catch (err) {
      msg = { undecodable: err.message, raw: payload.toString('hex') };
    }
    replies.push(msg);
  });
});

after(async () => {
  await c?.stop();
});

const streamKey = () => c.key(`node:${node.nodeId}:cmd`);
const nodeKey = () => c.key(`node:${node.nodeId}`);

async function nodeStats() {
  const h = await c.redis.hgetall(nodeKey());
  return { ok: Number(h.cmd_ok), bad: Number(h.cmd_bad), expired: Number(h.cmd_expired),
           routers: Number(h.routers) };
}

function xadd(m, field = 'm') {
  return c.redis.call('XADD', streamKey(), '*', field, m);
}

let nextId = 1000;
function cmd(type, body = {}, { v = 1, dl = Date.now() + 10000 } = {}) {
  const id = nextId++;
  return { id, bytes: encode({ v, t: type, id, rt: replyTo, dl, ...body }) };
}

async function waitReply(id, timeoutMs = 5000) {
  return waitFor(() => replies.find((r) => r.id === id), { timeoutMs, what: `reply to command ${id}` });
}

test('malformed commands are dropped and counted; the daemon stays up and heartbeating',
     { timeout: 60000 }, wrap(async () => {
  const before0 = await nodeStats();
  assert.equal(before0.bad, 0, 'no bad commands yet');

  // A valid command, only used as material for truncated variants.
  const good = cmd('router.create', { router: `r-${randomId(6)}`, room: 'bad-cmd-room' });
  const bad = [
    ['random bytes', randomBytes(64)],
    ['more random bytes', randomBytes(1500)],
    ['truncated message', good.bytes.subarray(0, Math.floor(good.bytes.length / 2))],
    ['truncated by one byte', good.bytes.subarray(0, good.bytes.length - 1)],
    ['wrong version', cmd('router.create', { router: 'r-v99', room: 'x' }, { v: 99 }).bytes],
    ['no version', encode({ t: 'router.create', id: 5, rt: replyTo, dl: Date.now() + 10000,
                            router: 'r-nov', room: 'x' })],
    ['unknown type', cmd('router.explode', { router: 'r-x', room: 'x' }).bytes],
    ['missing body key', cmd('router.create', { room: 'x' }).bytes],
    ['wrongly typed key', cmd('router.create', { router: 42, room: 'x' }).bytes],
    ['msgpack string, not a map', encode('router.create')],
    ['msgpack array', encode([1, 'router.create'])],
    ['empty value', Buffer.alloc(0)],
    ['trailing garbage', Buffer.concat([good.bytes, Buffer.from([0xc1])])],
  ];
  for (const [, m] of bad) await xadd(m);
  await xadd(Buffer.from('whatever'), 'x'); // an entry without field "m"
  nBad = bad.length + 1;

  // No reply to any of them: a bad command is dropped, not answered.
  const s = await waitFor(async () => {
    const st = await nodeStats();
    return st.bad >= nBad && st;
  }, { timeoutMs: 5000, what: `cmd_bad to reach ${nBad}` });
  assert.equal(s.bad, nBad, `cmd_bad counts each malformed entry once (${JSON.stringify(s)})`);
  assert.equal(s.ok, before0.ok, 'cmd_ok unchanged by bad commands');
  assert.ok(node.proc.alive, 'mediad still running');

  // Still heartbeating: the key outlives its 3 s TTL and its TTL is refreshed.
  await sleep(3500);
  assert.ok(node.proc.alive, 'mediad still running after 3.5 s');
  assert.equal(await c.redis.call('EXISTS', nodeKey()), 1, 'node key still there after its TTL');
  const ttl = await c.redis.call('PTTL', nodeKey());
  assert.ok(ttl > 1000, `node key TTL refreshed (PTTL ${ttl})`);
  assert.notEqual(await c.redis.call('ZSCORE', c.key('nodes'), node.nodeId), null, 'still in the node set');
  assert.deepEqual(replies, [], 'no replies to malformed commands');
}));

test('a well-formed command after the bad ones works (direct on the stream)', { timeout: 30000 },
     wrap(async () => {
  const s0 = await nodeStats();
  const router = `r-${randomId(8)}`;
  const create = cmd('router.create', { router, room: `room-${randomId(6)}` });
  await xadd(create.bytes);
  const r = await waitReply(create.id);
  assert.equal(r.v, 1);
  assert.equal(r.t, 'reply');
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.r?.router, router);
  await waitFor(async () => {
    const st = await nodeStats();
    return st.ok === s0.ok + 1 && st.routers === s0.routers + 1;
  }, { timeoutMs: 5000, what: 'cmd_ok and routers +1' });

  // A command whose deadline has passed is dropped and counted as expired.
  const stale = cmd('router.create', { router: `r-${randomId(8)}`, room: 'late' }, { dl: Date.now() - 1000 });
  await xadd(stale.bytes);

  const close = cmd('router.close', { router });
  await xadd(close.bytes);
  const rc = await waitReply(close.id);
  assert.equal(rc.ok, true, JSON.stringify(rc));
  await waitFor(async () => {
    const st = await nodeStats();
    return st.routers === s0.routers && st.expired === s0.expired + 1 && st.ok === s0.ok + 2;
  }, { timeoutMs: 5000, what: 'router closed, one expired command, cmd_ok +2' });
  assert.equal(replies.find((x) => x.id === stale.id), undefined, 'no reply to an expired command');
  assert.equal((await nodeStats()).bad, nBad, 'cmd_bad unchanged by good commands');
}));

test('a well-formed request through the controller still works', { timeout: 30000 }, wrap(async () => {
  const roomId = randomId(8);
  const p = await ProtooPeer.connect(c.controllers[0].wsUrl(roomId, newPeerId()));
  try {
    const caps = await p.request('getRouterRtpCapabilities');
    const dev = await loadDevice(caps.routerRtpCapabilities);
    const j = await p.request('join', { displayName: 'x', device: NODE_DEVICE,
                                        rtpCapabilities: dev.recvRtpCapabilities });
    assert.deepEqual(j.peers, []);
    const room = await c.braidctlJson(['room', roomId]);
    assert.equal(room.routers.length, 1);
    assert.equal(room.routers[0].node, node.nodeId);
  } finally {
    p.close();
  }
}));

test('the daemon is alive and exits cleanly on SIGTERM, deregistering', { timeout: 30000 }, async () => {
  for (const p of c.procs) assert.ok(p.alive, `${p.name} still running`);
  const r = await node.proc.stop();
  assert.equal(r.code, 0, `mediad exit code 0 after SIGTERM (${JSON.stringify(r)})`);
  assert.equal(await c.redis.call('EXISTS', nodeKey()), 0, 'node key deleted on SIGTERM');
  assert.equal(await c.redis.call('ZSCORE', c.key('nodes'), node.nodeId), null, 'left the node set on SIGTERM');
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
