// In-call controls with real Chromium pages on the demo page, in both
// dialects of the mediasoup-demo protocol (where producer controls are
// requests (legacy) or notifications (current)):
//  - pausing a producer pauses its consumers at the others (consumerPaused,
//    consumer.paused) and their frames stop; resuming brings consumerResumed
//    and the frames back;
//  - closing the video producer closes its consumers (consumerClosed) while
//    the audio keeps flowing;
//  - a peer that leaves (page closed) brings consumerClosed for each of its
//    consumers and peerClosed at the others, and its tile goes away;
//  - an ICE restart on both transports mid-call keeps the video decoding;
//  - a peer with forceTcp=true (ICE-TCP only) sends and receives media.
// Cluster: redis, one controller, two media daemons.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import {
  audioStats, consumers, events, framesByPeer, openPeer, pageLogs, waitConsumers, waitFramesGrow,
} from './lib/demo.mjs';
import { bindingRequest, parse } from './lib/stun.mjs';

let c;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('browser_controls', { controllers: 1, mediads: 2 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

// Opens `names` as peers of one new room (sequentially: a deterministic
// order), waits until each consumes the audio and video of all the others,
// runs fn(pages), prints the consoles on failure and closes the pages.
async function inRoom(names, query, fn, perPeerQuery = {}) {
  const roomId = randomId(8);
  const pages = [];
  try {
    for (const displayName of names) {
      pages.push(await openPeer(browser, c.controllers[0],
                                { roomId, displayName, query: { ...query, ...(perPeerQuery[displayName] ?? {}) } }));
    }
    for (const page of pages) await waitConsumers(page, pages.filter((p) => p !== page).map((p) => p.peerId));
    return await fn(pages);
  } catch (err) {
    console.log(pageLogs(pages));
    throw err;
  } finally {
    await Promise.all(pages.map((p) => (p.isClosed() ? null : p.close().catch(() => {}))));
  }
}

const consumerOf = async (page, peerId, kind) =>
  (await consumers(page)).find((x) => x.peerId === peerId && x.kind === kind);

const hasEvent = async (page, method, consumerId) =>
  (await events(page, method)).some((e) => e.data.consumerId === consumerId);

for (const dialect of ['current', 'legacy']) {
  const query = dialect === 'legacy' ? { dialect: 'legacy' } : {};

  test(`pause, resume, close a producer; a peer leaves (${dialect} dialect)`, { timeout: 90000 }, wrap(async (t) => {
    await inRoom(['alice', 'bob', 'carol'], query, async ([alice, bob, carol]) => {
      const watchers = [bob, carol];
      for (const w of watchers) await waitFramesGrow(w, [alice.peerId], {}, { minFrames: 5 });
      const video = {};
      for (const w of watchers) video[w.peerId] = (await consumerOf(w, alice.peerId, 'video')).id;

      // Pause alice's video. Bob's page pauses its consumer locally on
      // consumerPaused, as the demo app does (its receiver goes inactive); to
      // see the server stop forwarding, alice keeps sending and carol keeps
      // receiving: their local pause() only flips the flag.
      await alice.evaluate(() => {
        for (const p of window.braidDemo.producers.values()) {
          if (p.kind === 'video') { p.pause = function () { this._paused = true; }; p.resume = function () { this._paused = false; }; }
        }
      });
      await carol.evaluate((id) => {
        for (const x of window.braidDemo.consumers.values()) {
          if (x.appData.peerId === id && x.kind === 'video') { x.pause = function () { this._paused = true; }; x.resume = function () { this._paused = false; }; }
        }
      }, alice.peerId);
      await alice.evaluate(() => window.braidDemo.pauseProducer('video'));
      assert.equal((await alice.evaluate(() => window.braidDemo.producerList())).find((p) => p.kind === 'video').paused, true,
                   'alice\'s producer is paused');
      for (const w of watchers) {
        const id = video[w.peerId];
        await waitFor(() => hasEvent(w, 'consumerPaused', id), { timeoutMs: 10000, what: `consumerPaused ${id} at ${w.displayName}` });
        const cs = await consumerOf(w, alice.peerId, 'video');
        assert.equal(cs.paused, true, `${w.displayName}: consumer.paused`);
        assert.equal(cs.producerPaused, true, `${w.displayName}: producerPaused`);
      }
      await sleep(1000); // frames in flight
      const stopped = {};
      for (const w of watchers) stopped[w.peerId] = await framesByPeer(w);
      await sleep(2500);
      for (const w of watchers) {
        const f0 = stopped[w.peerId][alice.peerId].framesDecoded;
        const f1 = (await framesByPeer(w))[alice.peerId].framesDecoded;
        assert.ok(f1 - f0 <= 2, `${w.displayName}: alice's frames stop while paused (${f0}→${f1})` +
                  (w === carol ? ': the server still forwards a paused producer' : ''));
      }
      // Audio is not paused.
      const a0 = await audioStats(bob);
      await sleep(1000);
      const a1 = await audioStats(bob);
      const pr = (s) => s.find((x) => x.peerId === alice.peerId).packetsReceived;
      assert.ok(pr(a1) > pr(a0), `bob still receives alice's audio while her video is paused (${pr(a0)}→${pr(a1)})`);

      // Resume.
      await alice.evaluate(() => window.braidDemo.resumeProducer('video'));
      for (const w of watchers) {
        const id = video[w.peerId];
        await waitFor(() => hasEvent(w, 'consumerResumed', id), { timeoutMs: 10000, what: `consumerResumed ${id} at ${w.displayName}` });
        const cs = await consumerOf(w, alice.peerId, 'video');
        assert.equal(cs.paused, false, `${w.displayName}: consumer resumed`);
        assert.equal(cs.producerPaused, false, `${w.displayName}: producerPaused false`);
        await waitFramesGrow(w, [alice.peerId], await framesByPeer(w), { minFrames: 10, timeoutMs: 15000 });
      }
      t.diagnostic('pause/resume ok');

      // Close alice's video producer: consumerClosed at the others; audio goes on.
      await alice.evaluate(() => window.braidDemo.closeProducer('video'));
      for (const w of watchers) {
        const id = video[w.peerId];
        await waitFor(() => hasEvent(w, 'consumerClosed', id), { timeoutMs: 10000, what: `consumerClosed ${id} at ${w.displayName}` });
        assert.equal(await consumerOf(w, alice.peerId, 'video'), undefined, `${w.displayName}: alice's video consumer is gone`);
        assert.ok(await consumerOf(w, alice.peerId, 'audio'), `${w.displayName}: alice's audio consumer stays`);
      }
      // Bob's and carol's streams are untouched: carol still decodes bob.
      await waitFramesGrow(carol, [bob.peerId], await framesByPeer(carol), { minFrames: 10 });
      t.diagnostic('close producer ok');

      // Alice leaves: her audio consumer closes and peerClosed comes, at both.
      const audio = {};
      for (const w of watchers) audio[w.peerId] = (await consumerOf(w, alice.peerId, 'audio')).id;
      await alice.close();
      for (const w of watchers) {
        await waitFor(() => hasEvent(w, 'consumerClosed', audio[w.peerId]),
                      { timeoutMs: 15000, what: `consumerClosed of alice's audio at ${w.displayName}` });
        await waitFor(async () => (await events(w, 'peerClosed')).some((e) => e.data.peerId === alice.peerId),
                      { timeoutMs: 15000, what: `peerClosed ${alice.peerId} at ${w.displayName}` });
        assert.equal(await w.$(`#peer-${alice.peerId}`), null, `${w.displayName}: alice's tile is gone`);
        assert.deepEqual((await consumers(w)).filter((x) => x.peerId === alice.peerId), [],
                         `${w.displayName}: no consumer of alice left`);
      }
      // The two who stayed still see each other.
      await waitFramesGrow(bob, [carol.peerId], await framesByPeer(bob), { minFrames: 10 });
    });
  }));

  test(`an ICE restart mid-call keeps the video flowing (${dialect} dialect)`, { timeout: 60000 }, wrap(async (t) => {
    await inRoom(['dave', 'erin'], query, async ([dave, erin]) => {
      await waitFramesGrow(dave, [erin.peerId], {}, { minFrames: 5 });
      await waitFramesGrow(erin, [dave.peerId], {}, { minFrames: 5 });
      const old = await dave.evaluate(() => JSON.parse(JSON.stringify(window.braidDemo.iceParameters)));
      const fresh = await dave.evaluate(() => window.braidDemo.restartIce());
      await erin.evaluate(() => window.braidDemo.restartIce());
      for (const dir of ['send', 'recv']) {
        assert.notEqual(fresh[dir].usernameFragment, old[dir].usernameFragment, `dave's ${dir} transport has a new ufrag`);
        assert.notEqual(fresh[dir].password, old[dir].password, `dave's ${dir} transport has a new password`);
      }
      // Dave's browser moved to the new credentials: the node retires the old
      // ufrag (a check with it gets no answer) and answers the new one.
      const port = (await dave.evaluate(() => window.braidDemo.selectedPairs())).find((x) => x.direction === 'recv').remote.split(':')[1];
      const sock = dgram.createSocket('udp4');
      const inbox = [];
      sock.on('message', (m) => inbox.push(parse(m)));
      await new Promise((r) => sock.bind(0, '127.0.0.1', r));
      const check = async ({ usernameFragment, password }) => {
        // No USE-CANDIDATE: this must not take the transport's selected tuple.
        const req = bindingRequest({ username: `${usernameFragment}:e2e0`, password, useCandidate: false });
        sock.send(req.bytes, Number(port), '127.0.0.1');
        await sleep(400);
        return inbox.find((m) => m && m.tid.equals(req.tid))?.cls ?? 'no answer';
      };
      try {
        await waitFor(async () => (await check(old.recv)) === 'no answer',
                      { timeoutMs: 10000, intervalMs: 100, what: 'the node to retire the old ufrag of dave\'s recv transport' });
        assert.equal(await check(fresh.recv), 'success', 'the new credentials of dave\'s recv transport are answered');
      } finally {
        sock.close();
      }
      // The new credentials are used and the media never stops.
      for (const [p, other] of [[dave, erin], [erin, dave]]) {
        const base = await framesByPeer(p);
        await waitFramesGrow(p, [other.peerId], base, { minFrames: 30, timeoutMs: 15000 });
        const st = await p.evaluate(() => [window.braidDemo.producerState, window.braidDemo.consumerState]);
        assert.deepEqual(st, ['connected', 'connected'], `${p.displayName}: both transports still connected`);
      }
      t.diagnostic('ICE restart ok');
    });
  }));
}

test('a peer with forceTcp=true sends and receives over ICE-TCP', { timeout: 60000 }, wrap(async (t) => {
  const tcpBefore = {};
  for (const m of c.mediads) tcpBefore[m.nodeId] = Number((await c.redis.hgetall(c.key(`node:${m.nodeId}`))).tcp_accepted ?? 0);
  await inRoom(['frank', 'grace'], {}, async ([frank, grace]) => {
    await waitFramesGrow(grace, [frank.peerId], {}, { minFrames: 20, timeoutMs: 20000 });
    await waitFramesGrow(frank, [grace.peerId], {}, { minFrames: 20, timeoutMs: 20000 });
    // Grace's candidates were TCP only: both her transports use ICE-TCP.
    const pairs = await grace.evaluate(() => window.braidDemo.selectedPairs());
    assert.equal(pairs.length, 2, `grace has two transports (${JSON.stringify(pairs)})`);
    assert.ok(pairs.every((p) => p.protocol === 'tcp'), `grace's selected pairs are TCP (${JSON.stringify(pairs)})`);
    t.diagnostic(`grace: ${JSON.stringify(pairs)}`);
    await waitFor(async () => {
      let n = 0;
      for (const m of c.mediads) n += Number((await c.redis.hgetall(c.key(`node:${m.nodeId}`))).tcp_accepted ?? 0) - tcpBefore[m.nodeId];
      return n >= 2;
    }, { timeoutMs: 3000, what: 'the nodes to count grace\'s two ICE-TCP connections (tcp_accepted)' });
  }, { grace: { forceTcp: 'true' } });
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
