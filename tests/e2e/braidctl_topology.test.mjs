// braidctl's view of a room spread over three live media nodes: a topology
// written straight into Redis (the key layout of docs/REDIS.md) with a pipe
// tree origin -> relay -> edge, pipe transport pairs and the nodes' pipe
// traffic hashes; then `braidctl room`, `nodes` and `pipes`, text and JSON,
// must show the tree, the counts per node and the traffic. Garbage records
// and keys of the wrong type must give warnings that name them, never a
// crash.
//
// The daemons rewrite their own keys every second (P node:<id> and
// P node:<id>:pipes, which they delete when they have no pipe), so they are
// frozen (SIGSTOP) while the test owns those keys, with the keys' TTL
// removed; they resume (SIGCONT) before the next test and at the end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';

let c;
const wrap = (fn) => (t) => c.wrap(fn)(t);
// Any sanitizer report or runtime error in braidctl's stderr.
const SANITIZER_RE = /AddressSanitizer|LeakSanitizer|runtime error:|SUMMARY: \w+Sanitizer/;

let frozen = false;

before(async () => {
  c = await startCluster('braidctl_topology', { controllers: 1, mediads: 3 });
});

after(async () => {
  await thaw();
  await c?.stop();
});

// Stops the daemons' heartbeats: their keys stay as this test writes them.
async function freeze() {
  for (const m of c.mediads) process.kill(m.proc.pid, 'SIGSTOP');
  frozen = true;
  await sleep(200); // a beat already on its way to Redis lands first
  for (const m of c.mediads) await c.redis.call('PERSIST', c.key(`node:${m.nodeId}`));
}

async function thaw() {
  if (!frozen) return;
  frozen = false;
  for (const m of c.mediads) {
    try {
      process.kill(m.proc.pid, 'SIGCONT');
    } catch {}
  }
  // Their next beat gives the keys their TTL back.
  await waitFor(async () => {
    for (const m of c.mediads) {
      if ((await c.redis.call('PTTL', c.key(`node:${m.nodeId}`))) <= 0) return false;
    }
    return true;
  }, { timeoutMs: 5000, what: 'the node keys to have a TTL again' });
}

// braidctl must never die of a signal nor report a sanitizer error.
async function ctl(args) {
  const r = await c.braidctl(args);
  assert.equal(r.signal, null, `braidctl ${args.join(' ')} died of ${r.signal}: ${r.stderr}`);
  assert.ok(!SANITIZER_RE.test(r.stderr), `braidctl ${args.join(' ')} sanitizer report:\n${r.stderr}`);
  return r;
}

async function ctlJson(args) {
  const r = await ctl(['--json', ...args]);
  assert.equal(r.code, 0, `braidctl --json ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return { json: JSON.parse(r.stdout), stderr: r.stderr };
}

// Three live nodes: A the publisher's (origin), B a relay, C an edge.
function nodes() {
  const [A, B, C] = c.mediads.map((m) => m.nodeId);
  return { A, B, C };
}

// A pair's field and record: "a|b" with a < b, as the claim script keys it.
function pair(x, tx, y, ty, extra) {
  const [a, ta, b, tb] = x < y ? [x, tx, y, ty] : [y, ty, x, tx];
  return [`${a}|${b}`, JSON.stringify({ a, b, ta, tb, ctl: c.controllers[0].id, ts: Date.now(), ...extra })];
}

function pipeStats(transport, room, router, s) {
  return JSON.stringify({
    transport, router, room, remoteIp: '127.0.0.1', remotePort: s.remotePort, srtp: true,
    rtpRx: s.rtpRx, rtpTx: s.rtpTx, bytesRx: s.rtpRx * 1000, bytesTx: s.rtpTx * 1000,
    rxBps: s.rxBps, txBps: s.txBps, consumers: s.consumers, producers: s.producers,
  });
}

// Writes the room (records shaped as the controller's scripts write them)
// and the frozen nodes' hashes. Returns the ids used.
async function writeTopology(roomId) {
  const { A, B, C } = nodes();
  const ctlId = c.controllers[0].id;
  const k = (s) => c.key(`room:${roomId}${s}`);
  const r = { A: `rtr-a-${randomId(4)}`, B: `rtr-b-${randomId(4)}`, C: `rtr-c-${randomId(4)}` };
  const pv = `pv-${randomId(6)}`, pa = `pa-${randomId(6)}`;
  const t = { AB: 'pt-ab', BA: 'pt-ba', BC: 'pt-bc', CB: 'pt-cb', AC: 'pt-ac', CA: 'pt-ca' };
  const peer = (id, name) => JSON.stringify({ peerId: id, ctl: ctlId, conn: randomId(4), joined: true,
                                              displayName: name, device: { flag: 'node' }, ts: Date.now() });
  await c.redis.call('SADD', c.key('rooms'), roomId);
  await c.redis.call('HSET', k(''), 'id', roomId, 'created_ms', String(Date.now()));
  await c.redis.call('HSET', k(':peers'), 'alice', peer('alice', 'Alice'), 'bob', peer('bob', 'Bob'),
                     'carol', peer('carol', 'Carol'), 'dave', peer('dave', 'Dave'));
  await c.redis.call('HSET', k(':routers'), A, r.A, B, r.B, C, r.C);
  await c.redis.call('HSET', k(':placement'), 'alice', A, 'bob', B, 'carol', C, 'dave', C);
  const tr = (peerId, node, direction) => [`tr-${peerId}`, JSON.stringify({
    transportId: `tr-${peerId}`, peerId, ctl: ctlId, conn: 'x', node, router: r[nodeName(node)], direction,
    room: roomId, sctp: true,
  })];
  await c.redis.call('HSET', k(':transports'), ...tr('alice', A, 'producer'), ...tr('bob', B, 'consumer'),
                     ...tr('carol', C, 'consumer'), ...tr('dave', C, 'consumer'));
  const prod = (id, kind) => JSON.stringify({
    paused: kind === 'audio', producerId: id, peerId: 'alice', ctl: ctlId, conn: 'x', transportId: 'tr-alice',
    node: A, router: r.A, kind, type: kind === 'video' ? 'simulcast' : 'simple', rtpParameters: { codecs: [] },
    consumable: { codecs: [] }, appData: { peerId: 'alice' },
  });
  await c.redis.call('HSET', k(':producers'), pv, prod(pv, 'video'), pa, prod(pa, 'audio'));
  const cons = (id, pid, peerId, node, kind) => JSON.stringify({
    paused: false, consumerId: id, producerId: pid, peerId, ctl: ctlId, conn: 'x', transportId: `tr-${peerId}`,
    node, kind, type: 'simple',
  });
  await c.redis.call('HSET', k(':consumers'),
                     'c1', cons('c1', pv, 'bob', B, 'video'), 'c2', cons('c2', pa, 'bob', B, 'audio'),
                     'c3', cons('c3', pv, 'carol', C, 'video'), 'c4', cons('c4', pv, 'dave', C, 'video'));
  // The tree: pv A -> B -> C (B relays); pa A -> B (ready), A -> C (pending).
  const pipe = (pid, node, from, state, kind, extra = {}) => [`${pid}@${node}`, JSON.stringify({
    producerId: pid, node, router: r[nodeName(node)], from, fromRouter: r[nodeName(from)], state, ctl: ctlId,
    ts: Date.now(), kind, ...extra,
  })];
  await c.redis.call('HSET', k(':pipes'),
                     ...pipe(pv, B, A, 'ready', 'video', { transportId: t.BA, fromTransportId: t.AB, pipeConsumerId: 'pc1' }),
                     ...pipe(pv, C, B, 'ready', 'video', { transportId: t.CB, fromTransportId: t.BC, pipeConsumerId: 'pc2' }),
                     ...pipe(pa, B, A, 'ready', 'audio', { transportId: t.BA, fromTransportId: t.AB, pipeConsumerId: 'pc3' }),
                     ...pipe(pa, C, A, 'pending', 'audio'));
  const addr = { ipA: '127.0.0.1', ipB: '127.0.0.1', portA: 41000, portB: 41002, srtp: true };
  await c.redis.call('HSET', k(':pipetransports'),
                     ...pair(A, t.AB, B, t.BA, { state: 'ready', ...addr }),
                     ...pair(B, t.BC, C, t.CB, { state: 'ready', ...addr }),
                     ...pair(A, t.AC, C, t.CA, { state: 'pending' }));
  // The nodes' own view: load and pipe traffic (A sends 1.5 Mbit/s to B,
  // B relays 1.2 Mbit/s of it to C).
  await c.redis.call('HSET', c.key(`node:${A}`), 'consumers', '0', 'max_consumers', '50', 'pipe_transports', '1');
  await c.redis.call('HSET', c.key(`node:${B}`), 'consumers', '2', 'max_consumers', '50', 'pipe_transports', '2');
  await c.redis.call('HSET', c.key(`node:${C}`), 'consumers', '2', 'max_consumers', '0', 'pipe_transports', '1');
  await c.redis.call('SET', c.key(`node:${C}:reserved`), '3');
  await c.redis.call('DEL', ...['A', 'B', 'C'].map((n) => c.key(`node:${nodes()[n]}:pipes`)));
  await c.redis.call('HSET', c.key(`node:${A}:pipes`), t.AB,
                     pipeStats(t.AB, roomId, r.A, { remotePort: 41002, rtpRx: 40, rtpTx: 5000, rxBps: 9000, txBps: 1500000, consumers: 2, producers: 0 }));
  await c.redis.call('HSET', c.key(`node:${B}:pipes`),
                     t.BA, pipeStats(t.BA, roomId, r.B, { remotePort: 41000, rtpRx: 5000, rtpTx: 40, rxBps: 1500000, txBps: 9000, consumers: 0, producers: 2 }),
                     t.BC, pipeStats(t.BC, roomId, r.B, { remotePort: 41002, rtpRx: 30, rtpTx: 4000, rxBps: 7000, txBps: 1200000, consumers: 1, producers: 0 }));
  await c.redis.call('HSET', c.key(`node:${C}:pipes`), t.CB,
                     pipeStats(t.CB, roomId, r.C, { remotePort: 41000, rtpRx: 4000, rtpTx: 30, rxBps: 1200000, txBps: 7000, consumers: 0, producers: 1 }));
  return { A, B, C, pv, pa, t, r };
}

function nodeName(id) {
  const n = nodes();
  return Object.keys(n).find((x) => n[x] === id);
}

test('room, nodes and pipes show the pipe tree, the counts per node and the traffic', { timeout: 60000 },
     wrap(async (t) => {
  const roomId = `topo-${randomId(6)}`;
  await freeze();
  let room, text, nodesJson, nodesText, pipesJson, pipesText, ids;
  try {
    ids = await writeTopology(roomId);
    room = (await ctlJson(['room', roomId])).json;
    text = await ctl(['room', roomId]);
    nodesJson = (await ctlJson(['nodes'])).json;
    nodesText = await ctl(['nodes']);
    pipesJson = (await ctlJson(['pipes'])).json;
    pipesText = await ctl(['pipes']);
  } finally {
    await thaw();
  }
  const { A, B, C, pv, pa } = ids;
  t.diagnostic(`braidctl room:\n${text.stdout}`);
  t.diagnostic(`braidctl nodes:\n${nodesText.stdout}`);
  t.diagnostic(`braidctl pipes:\n${pipesText.stdout}`);

  // JSON: the keys older tests use, then the topology.
  assert.equal(room.id, roomId);
  assert.deepEqual(room.peers.map((p) => p.id), ['alice', 'bob', 'carol', 'dave']);
  assert.deepEqual(room.peers.map((p) => p.node), [A, B, C, C]);
  assert.ok(room.peers.every((p) => p.joined === true && p.controller === c.controllers[0].id));
  assert.deepEqual(room.routers.map((r) => r.node).sort(), [A, B, C].sort());
  assert.ok(room.routers.every((r) => r.alive === true), JSON.stringify(room.routers));
  assert.deepEqual(room.placement, { alice: A, bob: B, carol: C, dave: C });
  assert.deepEqual(room.peersByNode, { [A]: ['alice'], [B]: ['bob'], [C]: ['carol', 'dave'] });
  assert.deepEqual(room.warnings, [], 'a clean topology gives no warnings');

  const byId = Object.fromEntries(room.producers.map((p) => [p.id, p]));
  assert.deepEqual(Object.keys(byId).sort(), [pa, pv].sort());
  assert.equal(byId[pv].kind, 'video');
  assert.equal(byId[pv].peerId, 'alice');
  assert.equal(byId[pv].node, A);
  assert.equal(byId[pv].paused, false);
  assert.equal(byId[pa].paused, true);
  const tree = (p) => p.pipes.map((e) => ({ node: e.node, from: e.from, state: e.state, depth: e.depth }));
  assert.deepEqual(tree(byId[pv]), [{ node: B, from: A, state: 'ready', depth: 1 },
                                    { node: C, from: B, state: 'ready', depth: 2 }],
                   'pv: origin A -> relay B -> edge C');
  assert.deepEqual(tree(byId[pa]).sort((x, y) => (x.node < y.node ? -1 : 1)),
                   [{ node: B, from: A, state: 'ready', depth: 1 },
                    { node: C, from: A, state: 'pending', depth: 1 }].sort((x, y) => (x.node < y.node ? -1 : 1)));
  assert.deepEqual(byId[pv].consumers, { [B]: 1, [C]: 2 });
  assert.deepEqual(room.consumersByNode, { [B]: { total: 2, byProducer: { [pv]: 1, [pa]: 1 } },
                                           [C]: { total: 2, byProducer: { [pv]: 2 } } });
  assert.deepEqual(room.strayPipes, []);

  assert.equal(room.pipeTransports.length, 3);
  const pairOf = (x, y) => room.pipeTransports.find((p) => (p.a === x && p.b === y) || (p.a === y && p.b === x));
  const ab = pairOf(A, B);
  assert.equal(ab.state, 'ready');
  assert.equal(ab.srtp, true);
  const sideA = ab.a === A ? ab.traffic.a : ab.traffic.b, sideB = ab.a === A ? ab.traffic.b : ab.traffic.a;
  assert.equal(sideA.txBps, 1500000);
  assert.equal(sideA.rtpTx, 5000);
  assert.equal(sideB.rxBps, 1500000);
  assert.equal(sideB.producers, 2);
  assert.equal(pairOf(A, C).state, 'pending');
  assert.equal(pairOf(A, C).traffic.a, null, 'a pending pair has no traffic record');

  // Text: the tree drawn, the counts, the traffic.
  const out = text.stdout;
  assert.equal(text.code, 0, text.stderr);
  assert.match(out, new RegExp(`producer ${pv} \\(video, peer alice\\) on node ${A}`));
  assert.ok(out.includes(`      └─ node ${B}  (from ${A}, ready)  1 consumer\n` +
                         `          └─ node ${C}  (from ${B}, ready)  2 consumers\n`), 'the pv tree, relay then edge');
  assert.match(out, new RegExp(`producer ${pa} \\(audio, peer alice\\) on node ${A} \\[paused\\]`));
  assert.match(out, new RegExp(`├─ node (${B}|${C})  \\(from ${A}, (ready|pending)\\)`), 'pa has two children');
  assert.match(out, new RegExp(`└─ node ${C}  \\(from ${A}, pending\\)|└─ node ${B}  \\(from ${A}, ready\\)`));
  assert.ok(out.includes(`node ${C}: 2 peers: carol dave`), out);
  assert.ok(out.includes(`node ${B}: 2  (`), 'consumers per node');
  assert.match(out, new RegExp(`on node ${A}, transport pt-ab: rx 9\\.0 kbit/s \\(40 packets, 40\\.0 kB\\), tx 1\\.5 Mbit/s \\(5000 packets`));
  assert.ok(out.includes(`on node ${A}, transport pt-ac: no traffic record`), 'the pending pair has no traffic');
  for (const n of [A, B, C]) assert.ok(out.includes(n), `braidctl room names node ${n}`);

  // nodes: load columns from the hashes, pipe traffic totals.
  const nj = Object.fromEntries(nodesJson.map((n) => [n.id, n]));
  assert.deepEqual(Object.keys(nj).sort(), [A, B, C].sort());
  assert.equal(nj[B].max_consumers, '50');
  assert.equal(nj[B].pipe_transports, '2');
  assert.deepEqual(nj[B].pipeTraffic, { pipes: 2, rxBps: 1507000, txBps: 1209000, rtpRx: 5030, rtpTx: 4040,
                                        bytesRx: 5030000, bytesTx: 4040000 });
  assert.equal(nj[C].reserved, 3);
  const row = (id) => nodesText.stdout.split('\n').find((l) => l.startsWith(id)) ?? '';
  assert.match(row(A), /\s0\/50\s+1\s+9\.0 kbit\/s\s+1\.5 Mbit\/s\s/, row(A));
  assert.match(row(B), /\s2\/50\s+2\s+1\.5 Mbit\/s\s+1\.2 Mbit\/s\s/, row(B));
  assert.match(row(C), /\s2\(\+3\)\/-\s+1\s+1\.2 Mbit\/s\s+7\.0 kbit\/s\s/, row(C));

  // pipes: every node's pipe transports, with the node at the other end.
  assert.equal(pipesJson.length, 4);
  const bc = pipesJson.find((p) => p.transport === 'pt-bc');
  assert.equal(bc.node, B);
  assert.equal(bc.remoteNode, C);
  assert.equal(bc.room, roomId);
  assert.equal(bc.txBps, 1200000);
  assert.match(pipesText.stdout, new RegExp(`node ${B}  \\(2 pipe transports\\)`));
  assert.match(pipesText.stdout, new RegExp(`pt-bc  room ${roomId}  to node ${C} at 127\\.0\\.0\\.1:41002  srtp\\n` +
                                            `\\s+rx 7\\.0 kbit/s, 30 packets, 30\\.0 kB   tx 1\\.2 Mbit/s, 4000 packets`));
}));

test('garbage records and keys of the wrong type: warnings that name them, the rest still shown', { timeout: 60000 },
     wrap(async (t) => {
  const roomId = `junk-${randomId(6)}`;
  await freeze();
  let results;
  try {
    const { A, B, C, pv } = await writeTopology(roomId);
    const k = (s) => c.key(`room:${roomId}${s}`);
    await c.redis.call('HSET', k(':pipes'), `${pv}@nowhere`, 'not json at all {');
    await c.redis.call('HSET', k(':pipes'), `${pv}@${C}`, JSON.stringify({ producerId: pv, node: C, from: 42, state: ['ready'] }));
    await c.redis.call('HSET', k(':producers'), 'p-bad', JSON.stringify({ paused: 'no', kind: 5, node: [A], peerId: {} }));
    await c.redis.call('HSET', k(':producers'), 'p-text', '"just a string"');
    await c.redis.call('HSET', k(':consumers'), 'c-bad', '[]', 'c-odd', JSON.stringify({ node: 7, producerId: pv }));
    await c.redis.call('HSET', k(':peers'), 'eve', JSON.stringify({ peerId: 'eve', ctl: 7, joined: 'yes' }));
    await c.redis.call('HSET', k(':pipetransports'), 'x|y', JSON.stringify({ a: 1, b: null, ta: {}, state: true }),
                       `${A}|zz`, Buffer.from([0x00, 0xff, 0x20, 0x62]));
    await c.redis.call('SET', k(':dataproducers'), 'a string, not a hash');
    await c.redis.call('DEL', k(':placement'));
    await c.redis.call('RPUSH', k(':placement'), 'a list, not a hash');
    await c.redis.call('HSET', c.key(`node:${A}:pipes`), 'pt-junk', '{"rxBps": "fast", "txBps": [1], "room": 3}',
                       'pt-cut', '{"transport": "pt-cut", "rxBps": 1');
    await c.redis.call('DEL', c.key(`node:${C}:pipes`));
    await c.redis.call('SADD', c.key(`node:${C}:pipes`), 'a set, not a hash');
    await c.redis.call('SET', c.key(`node:${B}:reserved`), 'many');
    results = {};
    for (const [name, args] of [['roomJson', ['--json', 'room', roomId]], ['room', ['room', roomId]],
                                ['nodesJson', ['--json', 'nodes']], ['nodes', ['nodes']],
                                ['pipesJson', ['--json', 'pipes']], ['pipes', ['pipes']],
                                ['rooms', ['rooms']], ['missing', ['room', `none-${randomId(4)}`]]]) {
      results[name] = await ctl(args);
    }
    // A room whose every key is garbage.
    const j = `junk2-${randomId(6)}`;
    for (const s of [':peers', ':routers', ':producers', ':pipes', ':pipetransports', ':consumers']) {
      await c.redis.call('SET', c.key(`room:${j}${s}`), 'x');
    }
    await c.redis.call('SADD', c.key('rooms'), j);
    results.allJunk = await ctl(['room', j]);
    results.allJunkJson = await ctl(['--json', 'room', j]);
  } finally {
    await thaw();
  }
  for (const [name, r] of Object.entries(results)) t.diagnostic(`${name}: code ${r.code}\n${r.stdout}\n${r.stderr}`);

  const { A, B, C } = nodes();
  const rj = results.roomJson;
  assert.equal(rj.code, 0, rj.stderr);
  const room = JSON.parse(rj.stdout);
  const warn = room.warnings.join('\n');
  const key = (s) => `${c.prefix}room:${roomId}${s}`;
  for (const w of [`${key(':pipes')} field "${room.producers.find((p) => p.kind === 'video').id}@nowhere": not JSON`,
                   `"from" is a number, not a string`, `"state" is an array, not a string`,
                   `${key(':producers')} field "p-bad": "kind" is a number, not a string`,
                   `${key(':producers')} field "p-text": not a JSON object`,
                   `${key(':consumers')} field "c-bad": not a JSON object`,
                   `${key(':peers')} field "eve": "ctl" is a number, not a string`,
                   `${key(':pipetransports')} field "x|y": "a" is a number, not a string`,
                   `${key(':dataproducers')}: WRONGTYPE`, `${key(':placement')}: WRONGTYPE`,
                   `${key(':pipetransports')} field "${A}|zz": not JSON`,
                   `${c.prefix}node:${A}:pipes field "pt-cut": not JSON`,
                   `${c.prefix}node:${C}:pipes: WRONGTYPE`]) {
    assert.ok(warn.includes(w), `warning "${w}" in:\n${warn}`);
  }
  assert.equal(rj.stderr.split('\n').filter((l) => l.startsWith('warning: ')).length, room.warnings.length,
               'every warning is on stderr too');
  // The rest is still there: the clean part of the tree, the garbled ones marked.
  const pv = room.producers.find((p) => p.kind === 'video');
  assert.deepEqual(pv.pipes.filter((e) => e.depth !== null).map((e) => e.node), [B],
                   'the relay stays in the tree; the garbled edge is not reached');
  assert.ok(pv.pipes.some((e) => e.node === 'nowhere' && e.state === 'unreadable' && e.depth === null));
  assert.ok(room.producers.find((p) => p.id === 'p-text').unreadable);
  assert.deepEqual(room.dataProducers, []);
  assert.deepEqual(room.placement, {});
  assert.equal(room.peers.find((p) => p.id === 'bob').node, B, 'without placement, a peer is where its transports are');

  const text = results.room;
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /producer p-text: its record does not read/);
  assert.match(text.stdout, /\?─ node nowhere {2}\(from \?, unreadable\): not reached from the origin/);
  assert.match(text.stdout, /\d+ warnings \(on stderr\)/);
  assert.match(text.stderr, /warning: .*:pipes field ".*@nowhere": not JSON/);

  for (const name of ['nodesJson', 'nodes', 'pipesJson', 'pipes', 'rooms']) {
    assert.equal(results[name].code, 0, `${name}: ${results[name].stderr}`);
  }
  const nodesJson = JSON.parse(results.nodesJson.stdout);
  assert.deepEqual(nodesJson.map((n) => n.id).sort(), [A, B, C].sort(), 'every live node still listed');
  assert.match(results.nodes.stderr, new RegExp(`${c.prefix}node:${C}:pipes: WRONGTYPE`));
  assert.match(results.nodes.stderr, new RegExp(`${c.prefix}node:${B}:reserved: not a number`));
  assert.match(results.nodes.stderr, new RegExp(`${c.prefix}node:${A}:pipes field "pt-junk": "rxBps" is a string, not a number`));
  assert.match(results.pipes.stderr, new RegExp(`${c.prefix}node:${A}:pipes field "pt-junk": "room" is a number, not a string`));
  const pipes = JSON.parse(results.pipesJson.stdout);
  assert.equal(pipes.find((p) => p.transport === 'pt-cut').error, 'unreadable record');
  assert.equal(pipes.find((p) => p.transport === 'pt-junk').rxBps, null);
  assert.ok(pipes.some((p) => p.transport === 'pt-bc' && p.remoteNode === C), 'good records still joined');
  assert.match(results.pipes.stdout, /pt-cut {2}\(unreadable record\)/);

  assert.equal(results.missing.code, 1);
  assert.match(results.missing.stderr, /error: no room none-/);

  assert.equal(results.allJunk.code, 0, results.allJunk.stderr);
  assert.match(results.allJunk.stderr, /:peers: WRONGTYPE/);
  const junk = JSON.parse(results.allJunkJson.stdout);
  assert.deepEqual([junk.peers, junk.routers, junk.producers, junk.pipeTransports], [[], [], [], []]);
}));
