// Scale-out (issue 6): one room over three media daemons on three "hosts"
// (network namespaces on a bridge the test makes; netns.mjs), with Redis and
// two controllers beside them. Each daemon takes at most 4 consumers
// (--max-consumers 4), so one Chromium publisher (audio + video) and six
// Chromium subscribers, half of them on each controller, spread over all
// three daemons: the publisher's producers are piped from its daemon to the
// two others (same producer ids), every subscriber decodes the publisher's
// video, and pause, resume and close of the publisher's producers reach
// every subscriber on every daemon. Then a daemon that holds only
// subscribers is SIGKILLed: within 3 s its subscribers are told (their
// consumers and transports closed, then their sockets, so that they
// reconnect and join again), the room state in Redis no longer names it,
// and the subscribers on the other daemons keep decoding.
//
// Another test drives the race the pipe claims exist for: two controllers
// consume the same producer on the same daemon at the same moment, in five
// rooms, and each producer is piped there exactly once. A third builds a
// tree with --pipe-fanout 1 and kills its relay.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { dataMessages, events, framesByPeer, openPeer, pageLogs, state, waitChatProducer, waitConsumers,
         waitDataConsumers, waitFramesGrow } from './lib/demo.mjs';
import { FakeClient } from './lib/fake_client.mjs';

const MAX_CONSUMERS = 4;
const SUBSCRIBERS = 6;

let c;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('scale_out', {
    net: { hosts: 3 }, mediads: 3, controllers: 2,
    mediadArgs: ['--max-consumers', String(MAX_CONSUMERS)],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

const key = (k) => c.key(k);

async function hgetallJson(k) {
  const flat = await c.redis.call('HGETALL', key(k));
  const out = {};
  for (let i = 0; i < flat.length; i += 2) {
    try {
      out[flat[i]] = JSON.parse(flat[i + 1]);
    } catch {
      out[flat[i]] = flat[i + 1];
    }
  }
  return out;
}

// Every field and value of the room's keys, as text, to look for a node id.
async function roomText(roomId) {
  const parts = [];
  for (const k of ['routers', 'placement', 'transports', 'producers', 'consumers', 'dataproducers',
                   'dataconsumers', 'pipes', 'pipetransports']) {
    const flat = await c.redis.call('HGETALL', key(`room:${roomId}:${k}`));
    parts.push(`${k}: ${flat.join(' ')}`);
  }
  return parts.join('\n');
}

// Until the consumers of the test before are gone from every live daemon's
// count (placement reads it).
async function idle() {
  await waitFor(async () => {
    for (const m of c.mediads) {
      const n = await c.redis.call('HGET', key(`node:${m.nodeId}`), 'consumers');
      if (n !== null && n !== '0') return false;
    }
    return true;
  }, { timeoutMs: 15000, what: 'no consumers on any daemon' });
}

const nodeIndex = (nodeId) => c.mediads.findIndex((m) => m.nodeId === nodeId);

test('two controllers racing to pipe one producer to one daemon make one pipe', { timeout: 120000 }, wrap(async (t) => {
  for (let round = 0; round < 5; round++) {
    const roomId = randomId(8);
    await idle();
    // A publisher (mediasoup-client's fake device: no media needs to flow
    // for a pipe to be made).
    const pub = await FakeClient.open(c.controllers[0], roomId, { name: 'pub' });
    await pub.setup({ consume: false });
    const produced = [await pub.produce('audio'), await pub.produce('video')];
    // Fill the publisher's daemon, so that the two subscribers go elsewhere,
    // both to the same daemon (the least loaded other one, then the room's).
    const pubNode = await c.redis.call('HGET', key(`room:${roomId}:placement`), pub.peerId);
    await c.redis.call('SET', key(`node:${pubNode}:reserved`), '1000', 'PX', '20000');
    const subs = await Promise.all([0, 1].map((i) => FakeClient.open(c.controllers[i], roomId, { name: `sub${i}` })));
    // Both join at once: each controller consumes both producers for its
    // peer, and both pipe them to the daemon they share.
    await Promise.all(subs.map((s) => s.setup()));
    await Promise.all(subs.map((s) => waitFor(() => s.newConsumers.length >= 2,
                                              { timeoutMs: 15000, what: `${s.name}: newConsumer x2` })));
    const nodes = await Promise.all(subs.map((s) => c.redis.call('HGET', key(`room:${roomId}:placement`), s.peerId)));
    assert.equal(nodes[0], nodes[1], 'both subscribers on one daemon');
    assert.notEqual(nodes[0], pubNode);
    const pipes = Object.values(await hgetallJson(`room:${roomId}:pipes`)).filter((r) => r.kind !== 'data');
    assert.equal(pipes.length, 2, `one pipe per producer: ${JSON.stringify(pipes)}`);
    assert.ok(pipes.every((r) => r.node === nodes[0] && r.from === pubNode && r.state === 'ready'),
              JSON.stringify(pipes));
    assert.deepEqual(pipes.map((r) => r.producerId).sort(), produced.map((p) => p.id).sort());
    assert.equal(Object.keys(await hgetallJson(`room:${roomId}:pipetransports`)).length, 1, 'one transport pair');
    // The daemons agree: one pipe transport each side, two piped producers.
    await waitFor(async () => {
      const h = await hgetallJson(`node:${nodes[0]}:pipes`);
      const mine = Object.values(h).filter((x) => x.room === roomId);
      return mine.length === 1 && mine[0].producers === 2;
    }, { timeoutMs: 3000, what: `one pipe transport with two producers on the subscribers' daemon`,
         detail: async () => JSON.stringify(await hgetallJson(`node:${nodes[0]}:pipes`)) });
    await c.redis.call('DEL', key(`node:${pubNode}:reserved`));
    for (const x of [pub, ...subs]) x.close();
    t.diagnostic(`round ${round}: 2 producers piped once each to mediad-${nodeIndex(nodes[0])} by 2 racing controllers`);
  }
  // How the races went: one controller made each pipe, the other waited
  // for it (or came when it was ready already).
  const logs = c.controllers.map((x) => x.proc.log()).join('\n');
  const made = (logs.match(/piping producer/g) ?? []).length;
  const waited = (logs.match(/by another: waiting/g) ?? []).length;
  t.diagnostic(`pipes made: ${made}, waits for another controller's pipe: ${waited}`);
}));

// Pipes form a tree: with --pipe-fanout 1 a producer's daemon pipes it to
// one daemon only, which relays it on to the next. When the relay dies, the
// edge's consumers are closed ("relay lost") and made again, the producer
// piped to the edge from a live daemon.
test('fan-out 1: origin -> relay -> edge; the relay killed, the edge is fed again', { timeout: 120000 }, wrap(async (t) => {
  const ctl = await c.startController({ args: ['--pipe-fanout', '1'] });
  await idle();
  const roomId = randomId(8);
  const pub = await FakeClient.open(ctl, roomId, { name: 'pub' });
  await pub.setup({ consume: false });
  const produced = [await pub.produce('audio'), await pub.produce('video')];
  const ids = produced.map((p) => p.id).sort();
  const placed = (peerId) => c.redis.call('HGET', key(`room:${roomId}:placement`), peerId);
  const origin = await placed(pub.peerId);
  const full = async (node) => c.redis.call('SET', key(`node:${node}:reserved`), '1000', 'PX', '30000');
  // A subscriber on a second daemon, then one on the third.
  await full(origin);
  const relaySub = await FakeClient.open(ctl, roomId, { name: 'relay-sub' });
  await relaySub.setup();
  const relay = await placed(relaySub.peerId);
  // (A daemon is a source once its pipe is ready.)
  await waitFor(() => relaySub.newConsumers.length >= 2, { timeoutMs: 15000, what: 'relay-sub: newConsumer x2' });
  await full(relay);
  const edgeSub = await FakeClient.open(ctl, roomId, { name: 'edge-sub' });
  await edgeSub.setup();
  const edge = await placed(edgeSub.peerId);
  assert.equal(new Set([origin, relay, edge]).size, 3, 'three daemons');
  await waitFor(() => edgeSub.newConsumers.length >= 2, { timeoutMs: 15000, what: 'edge-sub: newConsumer x2' });
  const media = async () => Object.values(await hgetallJson(`room:${roomId}:pipes`)).filter((r) => r.kind !== 'data');
  let pipes = await media();
  for (const pid of ids) {
    const toRelay = pipes.find((r) => r.producerId === pid && r.node === relay);
    const toEdge = pipes.find((r) => r.producerId === pid && r.node === edge);
    assert.equal(toRelay?.from, origin, `${pid} to the relay from the origin: ${JSON.stringify(pipes)}`);
    assert.equal(toEdge?.from, relay, `${pid} to the edge from the relay: ${JSON.stringify(pipes)}`);
  }
  const tree = await c.braidctl(['room', roomId]);
  t.diagnostic(`braidctl room:\n${tree.stdout}`);

  // The relay dies: the edge's consumers close and come again, piped from
  // the origin now (the only live holder).
  await c.redis.call('DEL', key(`node:${origin}:reserved`), key(`node:${relay}:reserved`));
  const before = edgeSub.newConsumers.length;
  await c.mediads[nodeIndex(relay)].proc.crash();
  await waitFor(() => edgeSub.notifications.filter((n) => n.method === 'consumerClosed').length >= 2,
                { timeoutMs: 5000, what: 'edge-sub: consumerClosed x2 (relay lost)' });
  await waitFor(() => edgeSub.newConsumers.length >= before + 2,
                { timeoutMs: 15000, what: 'edge-sub: newConsumer x2 again' });
  pipes = await waitFor(async () => {
    const p = await media();
    return ids.every((pid) => p.some((r) => r.producerId === pid && r.node === edge && r.from === origin && r.state === 'ready')) && p;
  }, { timeoutMs: 10000, what: 'both producers piped to the edge from the origin', detail: async () => JSON.stringify(await media()) });
  assert.ok(!pipes.some((r) => r.node === relay || r.from === relay), 'no pipe names the dead relay');

  // Nothing uses the pipes to the edge once its subscriber leaves: after
  // the grace period (10 s) they are torn down, with their transports.
  edgeSub.close();
  await waitFor(async () => {
    const p = Object.values(await hgetallJson(`room:${roomId}:pipes`));
    const pairs = Object.keys(await hgetallJson(`room:${roomId}:pipetransports`));
    return !p.some((r) => r.node === edge) && !pairs.some((k) => k.includes(edge));
  }, { timeoutMs: 20000, what: 'the pipes and pipe transports to the edge torn down',
       detail: async () => JSON.stringify(await hgetallJson(`room:${roomId}:pipes`)) });
  await waitFor(async () => (await c.redis.call('EXISTS', key(`node:${edge}:pipes`))) === 0,
                { timeoutMs: 5000, what: 'the edge daemon reports no pipe transport' });
  for (const x of [pub, relaySub]) x.close();
  // A new daemon on the dead one's host, for the next test.
  await c.startMediad({ args: ['--max-consumers', String(MAX_CONSUMERS)], host: c.mediads[nodeIndex(relay)].host });
}));

test('one room over three daemons on three hosts: placement by load, pipes, pause/resume/close, a daemon killed',
  { timeout: 240000 }, wrap(async (t) => {
    await idle();
    const roomId = randomId(8);
    const pages = [];
    await (async () => {
      try {
        const pub = await openPeer(browser, c.controllers[0], { roomId, displayName: 'publisher' });
        pages.push(pub);
        const producers = await state(pub).then((s) => s.producers);
        const videoId = producers.find((p) => p.kind === 'video').id;
        const audioId = producers.find((p) => p.kind === 'audio').id;

        // Subscribers, one after another (each placement reserves its
        // consumers at once, so joining together would work too), on both
        // controllers.
        const subs = [];
        for (let i = 0; i < SUBSCRIBERS; i++) {
          const page = await openPeer(browser, c.controllers[i % 2], { roomId, displayName: `sub${i}`, produce: false });
          pages.push(page);
          subs.push(page);
        }
        for (const page of subs) await waitConsumers(page, [pub.peerId], { timeoutMs: 30000 });

        // Placement: every daemon holds subscribers; none has more consumers
        // of peers than its limit.
        const placement = await c.redis.call('HGETALL', key(`room:${roomId}:placement`));
        const byPeer = {};
        for (let i = 0; i < placement.length; i += 2) byPeer[placement[i]] = placement[i + 1];
        const pubNode = byPeer[pub.peerId];
        assert.ok(pubNode, `the publisher is placed: ${JSON.stringify(byPeer)}`);
        const subsPerNode = {};
        for (const page of subs) {
          const n = byPeer[page.peerId];
          assert.ok(n, `${page.displayName} is placed`);
          subsPerNode[n] = (subsPerNode[n] ?? 0) + 1;
        }
        t.diagnostic(`placement: publisher on mediad-${nodeIndex(pubNode)}, subscribers ${JSON.stringify(
          Object.fromEntries(Object.entries(subsPerNode).map(([n, k]) => [`mediad-${nodeIndex(n)}`, k])))}`);
        assert.equal(Object.keys(subsPerNode).length, 3, 'subscribers on all three daemons');
        for (const [n, k] of Object.entries(subsPerNode)) {
          assert.ok(k * 2 <= MAX_CONSUMERS, `mediad-${nodeIndex(n)} holds ${k} subscribers (limit ${MAX_CONSUMERS} consumers)`);
        }

        // Pipes: both producers are on the two other daemons, piped from the
        // publisher's, once each, over one transport pair per daemon pair.
        const pipes = await waitFor(async () => {
          const p = await hgetallJson(`room:${roomId}:pipes`);
          const media = Object.values(p).filter((r) => r.producerId === videoId || r.producerId === audioId);
          return media.length === 4 && media.every((r) => r.state === 'ready') && media;
        }, { timeoutMs: 15000, what: 'four ready media pipes',
             detail: async () => JSON.stringify(await hgetallJson(`room:${roomId}:pipes`)) });
        for (const r of pipes) {
          assert.equal(r.from, pubNode, `pipe of ${r.producerId} to ${r.node} comes from the publisher's daemon`);
          assert.notEqual(r.node, pubNode);
        }
        const pairs = await hgetallJson(`room:${roomId}:pipetransports`);
        const mediaPairs = Object.values(pairs).filter((x) => x.a === pubNode || x.b === pubNode);
        assert.ok(mediaPairs.length >= 2 && mediaPairs.every((x) => x.state === 'ready' && x.srtp === true),
                  `SRTP pipe transports from the publisher's daemon: ${JSON.stringify(pairs)}`);
        const room = await c.braidctl(['room', roomId]);
        assert.equal(room.code, 0, room.stderr);
        t.diagnostic(`braidctl room:\n${room.stdout}`);
        for (const r of pipes) assert.ok(room.stdout.includes(r.node), `braidctl room names pipe target ${r.node}`);

        // Every subscriber decodes the publisher's video.
        const base = [];
        for (const page of subs) base.push(await waitFramesGrow(page, [pub.peerId], {}, { minFrames: 10, timeoutMs: 30000 }));

        // The same room on both controllers: every subscriber sees every peer.
        const ids = pages.map((p) => p.peerId);
        for (const page of subs) {
          await waitFor(async () => {
            const s = await state(page);
            return ids.filter((id) => id !== page.peerId).every((id) => s.peers.includes(id));
          }, { timeoutMs: 10000, what: `${page.displayName} to see all ${ids.length - 1} other peers` });
        }

        // Chat: the publisher's chat data producer is piped too (SCTP over
        // the pipes); a message reaches every subscriber on every daemon.
        const chatId = await waitChatProducer(pub);
        for (const page of subs) await waitDataConsumers(page, [chatId], { timeoutMs: 20000 });
        await pub.evaluate(() => window.braidDemo.chat.send('hello over the pipes'));
        for (const page of subs) {
          await waitFor(async () => (await dataMessages(page)).some((m) => m.text === 'hello over the pipes'),
                        { timeoutMs: 10000, what: `${page.displayName}: the chat message` });
        }
        const dataPipes = Object.values(await hgetallJson(`room:${roomId}:pipes`)).filter((r) => r.producerId === chatId);
        assert.equal(dataPipes.length, 2, `the chat piped to both other daemons: ${JSON.stringify(dataPipes)}`);
        assert.ok(dataPipes.every((r) => r.kind === 'data' && r.state === 'ready'));

        // Pause and resume the video: every subscriber hears both.
        const vconsumer = async (page) => (await state(page)).consumers.find((x) => x.producerId === videoId);
        await pub.evaluate(() => window.braidDemo.pauseProducer('video'));
        for (const page of subs) {
          await waitFor(async () => (await vconsumer(page))?.producerPaused === true,
                        { timeoutMs: 5000, what: `${page.displayName}: consumerPaused` });
        }
        await pub.evaluate(() => window.braidDemo.resumeProducer('video'));
        for (const page of subs) {
          await waitFor(async () => (await vconsumer(page))?.producerPaused === false,
                        { timeoutMs: 5000, what: `${page.displayName}: consumerResumed` });
        }
        const afterResume = [];
        for (const page of subs) afterResume.push(await waitFramesGrow(page, [pub.peerId], await framesByPeer(page), { minFrames: 10, timeoutMs: 20000 }));

        // SIGKILL a daemon that holds only subscribers.
        const victimNode = Object.keys(subsPerNode).find((n) => n !== pubNode);
        const victim = c.mediads[nodeIndex(victimNode)];
        const victimSubs = subs.filter((p) => byPeer[p.peerId] === victimNode);
        const survivors = subs.filter((p) => byPeer[p.peerId] !== victimNode);
        const killedAt = Date.now();
        await victim.proc.crash();
        for (const page of victimSubs) {
          await waitFor(async () => {
            const closed = await events(page, 'consumerClosed');
            const tclosed = await events(page, 'transportClosed');
            return closed.length >= 2 && tclosed.length >= 1 && { closed, tclosed };
          }, { timeoutMs: 3000 + 500, what: `${page.displayName} on the killed daemon to get consumerClosed x2 and transportClosed` });
        }
        const toldMs = Date.now() - killedAt;
        t.diagnostic(`subscribers of the killed daemon told after ${toldMs} ms`);
        assert.ok(toldMs <= 3000, `told within 3 s (${toldMs} ms)`);
        // Then their socket is closed (not with 4000): protoo-client
        // reconnects and the page joins again from scratch.
        for (const page of victimSubs) {
          await waitFor(() => page.evaluate(() => (window.braidDemo.reconnects ?? 0) >= 1),
                        { timeoutMs: 5000, what: `${page.displayName} to reconnect` });
        }
        await waitFor(async () => !(await roomText(roomId)).includes(victimNode),
                      { timeoutMs: 1000, what: 'room state without the dead daemon',
                        detail: () => roomText(roomId) });
        for (const page of survivors) await waitFramesGrow(page, [pub.peerId], await framesByPeer(page), { minFrames: 10, timeoutMs: 15000 });

        // Close the publisher's video: every remaining subscriber hears it,
        // and its pipes are gone from Redis.
        await pub.evaluate(() => window.braidDemo.closeProducer('video'));
        for (const page of survivors) {
          await waitFor(async () => !(await state(page)).consumers.some((x) => x.producerId === videoId && !x.closed),
                        { timeoutMs: 5000, what: `${page.displayName}: the video consumer closed` });
        }
        await waitFor(async () => {
          const p = await hgetallJson(`room:${roomId}:pipes`);
          return !Object.values(p).some((r) => r.producerId === videoId);
        }, { timeoutMs: 5000, what: 'no pipe record of the closed producer' });
      } catch (err) {
        console.log(pageLogs(pages));
        throw err;
      } finally {
        for (const p of pages) await p.close().catch(() => {});
      }
    })();
  }));
