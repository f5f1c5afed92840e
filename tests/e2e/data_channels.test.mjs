// DataChannels between browsers (issue 5): three headless Chromium pages on
// the demo page (mediasoup-client, SCTP over DTLS) in one room, for each
// dialect of the mediasoup-demo protocol (current, legacy):
//  - each page's own chat data producer, plus an extra ordered and an extra
//    unordered (reliable) channel, all 'chat' (label and appData.channel),
//    so that the demo's chat rule makes every other peer consume them;
//  - every message one page sends on each channel arrives once at each of
//    the two others (in order on ordered channels), never at the sender;
//  - the node's data producer and data consumer stats count them;
//  - 1 MiB of random bytes arrives intact at both others (SHA-256
//    compared): from a browser as four messages of 262144 bytes, the most
//    Chromium sends in one message whatever the server allows; and as one
//    single 1 MiB message from a node-sctp endpoint on a plain transport in
//    the room, with the controller's --sctp-max-message-size at 2 MiB;
//  - a peer leaving makes the two others get dataConsumerClosed for each of
//    its data producers, and the others keep chatting; deleting the
//    broadcaster closes its data consumers too.
// One cluster (redis, one controller, one media daemon) for the file.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import {
  dataMessages, dataState, events, openPeer, pageLogs, waitChatProducer, waitDataConsumers,
} from './lib/demo.mjs';
import { NodeCommander } from './lib/node_cmd.mjs';
import { BroadcasterApi } from './lib/bcast_api.mjs';
import { SctpEndpoint } from './lib/sctp_endpoint.mjs';

const MAX_MESSAGE = 2 * 1024 * 1024;
const BIG = 1024 * 1024;
const N = 20; // messages per channel per sender

let c;
let browser;
let node;
const rooms = {}; // dialect -> {pages, channels: Map(page -> {chat, ordered, unordered})}
const endpoints = []; // node-sctp endpoints
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('data_channels', {
    controllers: 1, mediads: 1, controllerArgs: ['--sctp-max-message-size', String(MAX_MESSAGE)],
  });
  browser = await launchBrowser();
  node = await NodeCommander.open(c, c.mediads[0]);
});

after(async () => {
  for (const ep of endpoints) ep.close();
  for (const r of Object.values(rooms)) await Promise.all(r.pages.map((p) => p.close().catch(() => {})));
  await browser?.close();
  await c?.stop();
});

const allPages = () => Object.values(rooms).flatMap((r) => r.pages);

async function withLogs(fn) {
  try {
    return await fn();
  } catch (err) {
    console.log(pageLogs(allPages()));
    throw err;
  }
}

const others = (room, page) => room.pages.filter((p) => p !== page && !p.isClosed());

// ---- per dialect -------------------------------------------------------------

async function setup(t, dialect) {
  const roomId = randomId(8);
  const query = dialect === 'legacy' ? { dialect: 'legacy' } : {};
  const room = { roomId, pages: [], channels: new Map() };
  rooms[dialect] = room;
  const opened = await Promise.allSettled(['alice', 'bob', 'carol'].map((displayName) =>
    openPeer(browser, c.controllers[0], { roomId, displayName, query })));
  for (const r of opened) if (r.status === 'fulfilled') room.pages.push(r.value);
  const failed = opened.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;

  for (const page of room.pages) {
    const chat = await waitChatProducer(page);
    // Two more chat channels: ordered, and unordered but reliable.
    const ordered = await page.evaluate(() => window.braidDemo.produceData(
      { label: 'chat', ordered: true, appData: { channel: 'chat' } }));
    const unordered = await page.evaluate(() => window.braidDemo.produceData(
      { label: 'chat', ordered: false, appData: { channel: 'chat' } }));
    assert.equal(typeof ordered, 'string', `produceData resolves with the new data producer id (${ordered})`);
    assert.equal(typeof unordered, 'string');
    assert.equal(new Set([chat, ordered, unordered]).size, 3, 'three distinct data producer ids');
    room.channels.set(page, { chat, ordered, unordered });
  }
  for (const page of room.pages) {
    await waitFor(async () => {
      const s = await dataState(page);
      const mine = Object.values(room.channels.get(page));
      return mine.every((id) => s.dataProducers.find((p) => p.id === id)?.readyState === 'open');
    }, { timeoutMs: 10000, what: `${page.displayName}'s three data producers to be open`,
         detail: async () => JSON.stringify(await dataState(page)) });
  }

  // Each page consumes the three channels of each other page, and only those.
  for (const page of room.pages) {
    const want = others(room, page).flatMap((p) => Object.values(room.channels.get(p)));
    const dcs = await waitDataConsumers(page, want);
    const s = await dataState(page);
    const mine = Object.values(room.channels.get(page));
    assert.ok(!s.dataConsumers.some((dc) => mine.includes(dc.dataProducerId)),
              `${page.displayName} does not consume its own data producers`);
    const streamIds = s.dataConsumers.filter((dc) => !dc.closed).map((dc) => dc.sctpStreamParameters?.streamId);
    assert.equal(new Set(streamIds).size, streamIds.length,
                 `${page.displayName}: server-chosen stream ids are unique in its recv association (${streamIds})`);
    for (const id of streamIds) assert.ok(Number.isInteger(id) && id >= 0 && id < 1024, `stream id ${id} < MIS 1024`);
    for (const p of others(room, page)) {
      const ch = room.channels.get(p);
      assert.equal(dcs[ch.ordered].sctpStreamParameters.ordered, true, 'the ordered channel is consumed ordered');
      assert.equal(dcs[ch.unordered].sctpStreamParameters.ordered, false, 'the unordered channel is consumed unordered');
      for (const id of Object.values(ch)) {
        assert.equal(dcs[id].label, 'chat', `label of the consumer of ${id}`);
      }
    }
  }
  t.diagnostic(`${dialect}: 3 peers, 9 data producers, 18 open data consumers in room ${roomId}`);
}

async function chat(t, dialect) {
  const room = rooms[dialect];
  assert.ok(room?.pages.length === 3, 'the room of this dialect was set up');
  const chans = ['chat', 'ordered', 'unordered'];
  // What each channel promises: the page's own chat channel is whatever the
  // page made it (ordered in the current dialect, unordered with
  // maxRetransmits 1 in the legacy one).
  const orderedChannel = {};
  for (const page of room.pages) {
    const s = await dataState(page);
    const ch = room.channels.get(page);
    for (const name of chans) {
      const p = s.dataProducers.find((x) => x.id === ch[name]);
      orderedChannel[ch[name]] = p.sctpStreamParameters?.ordered !== false;
    }
  }
  // All three pages send at once, interleaving their three channels.
  await Promise.all(room.pages.map((page) => page.evaluate(async ({ n, ch, tag }) => {
    const d = window.braidDemo;
    for (let i = 0; i < n; i++) {
      d.chat.send(`${tag}/chat|${i}`);
      d.dataProducers.get(ch.ordered).send(`${tag}/ordered|${i}`);
      d.dataProducers.get(ch.unordered).send(`${tag}/unordered|${i}`);
      if (i % 5 === 4) await new Promise((r) => setTimeout(r, 20));
    }
  }, { n: N, ch: room.channels.get(page), tag: page.peerId })));

  for (const page of room.pages) {
    const senders = others(room, page);
    const want = senders.length * chans.length * N;
    const msgs = await waitFor(async () => {
      const m = (await dataMessages(page)).filter((x) => x.type === 'string' && /\|\d+$/.test(x.text ?? ''));
      return m.length >= want && m;
    }, { timeoutMs: 15000, what: `${page.displayName} to receive ${want} chat messages`,
         detail: async () => {
           const m = await dataMessages(page);
           const byProducer = {};
           for (const x of m) byProducer[x.dataProducerId] = (byProducer[x.dataProducerId] ?? 0) + 1;
           return JSON.stringify({ received: m.length, byProducer, channels: senders.map((p) => room.channels.get(p)) });
         } });
    const mine = Object.values(room.channels.get(page));
    assert.ok(!msgs.some((m) => mine.includes(m.dataProducerId) || m.peerId === page.peerId),
              `${page.displayName} never receives its own messages`);
    for (const sender of senders) {
      for (const name of chans) {
        const dpId = room.channels.get(sender)[name];
        const got = msgs.filter((m) => m.dataProducerId === dpId);
        const prefix = `${sender.peerId}/${name}|`;
        assert.ok(got.every((m) => m.text.startsWith(prefix)),
                  `${page.displayName}: messages of data producer ${dpId} are ${sender.displayName}'s ${name} messages ` +
                  `(${got.slice(0, 3).map((m) => m.text)})`);
        assert.ok(got.every((m) => m.peerId === sender.peerId && m.label === 'chat'),
                  `${page.displayName}: peerId and label of ${sender.displayName}'s ${name} messages ` +
                  `(${JSON.stringify(got[0])})`);
        const seqs = got.map((m) => Number(m.text.slice(prefix.length)));
        assert.deepEqual([...seqs].sort((a, b) => a - b), [...Array(N).keys()],
                         `${page.displayName} got each of ${sender.displayName}'s ${N} ${name} messages exactly once`);
        if (orderedChannel[dpId]) {
          assert.deepEqual(seqs, [...Array(N).keys()], `${page.displayName}: ${sender.displayName}'s ${name} messages in order`);
        }
      }
    }
  }

  // The node counts them: each data producer received N messages, each of
  // its two data consumers sent N.
  for (const sender of room.pages) {
    for (const name of chans) {
      const dpId = room.channels.get(sender)[name];
      const bytes = [...Array(N).keys()].reduce((a, i) => a + Buffer.byteLength(`${sender.peerId}/${name}|${i}`), 0);
      const [ps] = await node.stats('data_producer', dpId);
      assert.equal(ps.type, 'data-producer', JSON.stringify(ps));
      assert.equal(ps.label, 'chat');
      assert.equal(ps.messagesReceived, N, `data producer ${sender.displayName}/${name} messagesReceived`);
      assert.equal(ps.bytesReceived, bytes, `data producer ${sender.displayName}/${name} bytesReceived`);
      for (const receiver of others(room, sender)) {
        const dc = (await dataState(receiver)).dataConsumers.find((x) => x.dataProducerId === dpId && !x.closed);
        const [cs] = await node.stats('data_consumer', dc.id);
        assert.equal(cs.type, 'data-consumer', JSON.stringify(cs));
        assert.equal(cs.label, 'chat');
        assert.equal(cs.messagesSent, N, `data consumer of ${sender.displayName}/${name} at ${receiver.displayName} messagesSent`);
        assert.equal(cs.bytesSent, bytes, `data consumer of ${sender.displayName}/${name} at ${receiver.displayName} bytesSent`);
      }
    }
  }
  t.diagnostic(`${dialect}: ${3 * chans.length * N} messages sent, each received by the two others; node stats agree`);
}

// SHA-256 (hex) of the binary messages of one data producer at a page whose
// sizes are `sizes`, concatenated in arrival order; false until all are there.
const hashAt = (page, dpId, sizes) => page.evaluate(async ({ id, sizes }) => {
  const bins = window.braidDemo.messages.filter((x) => x.dataProducerId === id && typeof x.data !== 'string');
  const want = bins.slice(-sizes.length);
  if (want.length < sizes.length || want.some((m, i) => (m.data.byteLength ?? m.data.size) !== sizes[i])) return false;
  const parts = await Promise.all(want.map((m) => (m.data instanceof ArrayBuffer ? m.data : m.data.arrayBuffer())));
  const all = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  let off = 0;
  for (const p of parts) {
    all.set(new Uint8Array(p), off);
    off += p.byteLength;
  }
  const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
  return { hash: hex(await crypto.subtle.digest('SHA-256', all)), arrayBuffers: want.every((m) => m.data instanceof ArrayBuffer) };
}, { id: dpId, sizes });

// 1 MiB of random bytes, twice:
//  - from a browser: Chromium 156 sends at most min(its own 262144,
//    the remote a=max-message-size) bytes per message (RTCSctpTransport
//    .maxMessageSize), whatever the server allows, so the browser sends it
//    as four messages of exactly 262144 bytes, each at the limit;
//  - as one single 1 MiB message from a node-sctp endpoint on a plain
//    transport in the same room (the controller allows 2 MiB), which each
//    of the three browsers receives whole.
async function bigMessage(t, dialect) {
  const room = rooms[dialect];
  const [sender] = room.pages;
  const dpId = room.channels.get(sender).ordered;
  const [before0] = await node.stats('data_producer', dpId);
  const limits = await sender.evaluate(() => {
    const pc = window.braidDemo.sendTransport?._handler?._pc; // mediasoup-client internals, for the diagnostic only
    const m = pc?.remoteDescription?.sdp.match(/a=max-message-size:(\d+)/);
    return { remote: m ? Number(m[1]) : null, browser: pc?.sctp?.maxMessageSize ?? null };
  });
  t.diagnostic(`${dialect}: server a=max-message-size ${limits.remote}, Chromium's RTCSctpTransport.maxMessageSize ${limits.browser}`);
  if (limits.remote !== null) assert.equal(limits.remote, MAX_MESSAGE, 'the page got --sctp-max-message-size in its SDP');
  const PART = 262144;
  const sizes = Array(BIG / PART).fill(PART);
  const sent = await sender.evaluate(async ({ id, size, part }) => {
    const buf = new Uint8Array(size);
    for (let off = 0; off < size; off += 65536) crypto.getRandomValues(buf.subarray(off, Math.min(size, off + 65536)));
    const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
    const hash = hex(await crypto.subtle.digest('SHA-256', buf));
    const dp = window.braidDemo.dataProducers.get(id);
    for (let off = 0; off < size; off += part) dp.send(buf.slice(off, off + part).buffer);
    return { hash };
  }, { id: dpId, size: BIG, part: PART });
  for (const page of others(room, sender)) {
    const got = await waitFor(() => hashAt(page, dpId, sizes), {
      timeoutMs: 20000, intervalMs: 250, what: `${page.displayName} to receive ${sender.displayName}'s 4 × 256 KiB`,
      detail: async () => JSON.stringify((await dataMessages(page)).filter((m) => m.type !== 'string')) });
    assert.equal(got.hash, sent.hash, `${page.displayName}: SHA-256 of the 1 MiB in 4 messages`);
    assert.ok(got.arrayBuffers, 'binary messages are ArrayBuffers');
  }
  const [after0] = await node.stats('data_producer', dpId);
  assert.equal(after0.messagesReceived, before0.messagesReceived + sizes.length, 'the node counts the 4 messages');
  assert.equal(after0.bytesReceived, before0.bytesReceived + BIG, 'and their bytes');

  // One 1 MiB message from node-sctp over plain UDP.
  const api = new BroadcasterApi(c.controllers[0], room.roomId);
  const bid = `big-${randomId(6)}`;
  await api.createBroadcaster(bid, { displayName: bid, device: { name: 'node-sctp' } });
  const tr = await api.createPlain(bid, { comedia: true, rtcpMux: true, sctpCapabilities: { numStreams: { OS: 64, MIS: 64 } } });
  assert.equal(tr.sctpParameters?.maxMessageSize, MAX_MESSAGE, 'plain transports get --sctp-max-message-size too');
  const ep = await SctpEndpoint.bind();
  endpoints.push(ep);
  await ep.associate({ ip: tr.ip, port: tr.port, OS: 64, MIS: 64 });
  const dp = await api.ok('POST', `/broadcasters/${bid}/transports/${tr.id}/produce/data`, {
    label: 'chat', protocol: '', sctpStreamParameters: { streamId: 1, ordered: true }, appData: { channel: 'chat' },
  });
  for (const page of others(room, null)) await waitDataConsumers(page, [dp.id]);
  const big = randomBytes(BIG);
  await ep.send(1, big, { noWait: true });
  const want = createHash('sha256').update(big).digest('hex');
  for (const page of others(room, null)) {
    const got = await waitFor(() => hashAt(page, dp.id, [BIG]), {
      timeoutMs: 20000, intervalMs: 250, what: `${page.displayName} to receive node-sctp's 1 MiB message`,
      detail: () => `endpoint errors: ${ep.errors.join('; ') || 'none'}` });
    assert.equal(got.hash, want, `${page.displayName}: SHA-256 of node-sctp's single 1 MiB message`);
  }
  const [ps] = await node.stats('data_producer', dp.id);
  assert.equal(ps.messagesReceived, 1);
  assert.equal(ps.bytesReceived, BIG);
  room.broadcaster = { api, bid, dpId: dp.id };
  t.diagnostic(`${dialect}: 1 MiB intact at both others as 4 × 256 KiB from ${sender.displayName}, and as one message ` +
               `from node-sctp at all three (sha256 ${want.slice(0, 12)}…)`);
}

async function leave(t, dialect) {
  const room = rooms[dialect];
  const leaver = room.pages[2];
  const theirs = Object.values(room.channels.get(leaver));
  const stay = room.pages.slice(0, 2);
  const expected = new Map();
  for (const page of stay) {
    const s = await dataState(page);
    expected.set(page, s.dataConsumers.filter((dc) => theirs.includes(dc.dataProducerId)).map((dc) => dc.id).sort());
    assert.equal(expected.get(page).length, 3, `${page.displayName} consumes the leaver's three channels`);
  }
  const seen = new Map();
  for (const page of stay) seen.set(page, (await events(page, 'dataConsumerClosed')).length);
  await leaver.close();
  for (const page of stay) {
    const closed = await waitFor(async () => {
      const ids = (await events(page, 'dataConsumerClosed')).slice(seen.get(page)).map((e) => e.data.dataConsumerId);
      return expected.get(page).every((id) => ids.includes(id)) && ids;
    }, { timeoutMs: 10000, what: `dataConsumerClosed at ${page.displayName} for ${expected.get(page).join(', ')}`,
         detail: async () => JSON.stringify(await events(page, 'dataConsumerClosed')) });
    const ofOthers = closed.filter((id) => !expected.get(page).includes(id));
    assert.deepEqual(ofOthers, [], `${page.displayName}: dataConsumerClosed only for the leaver's data consumers`);
    await waitFor(async () => {
      const s = await dataState(page);
      return s.dataConsumers.filter((dc) => theirs.includes(dc.dataProducerId) && !dc.closed).length === 0;
    }, { timeoutMs: 5000, what: `${page.displayName} to close its data consumers of the leaver` });
    // The node forgot them.
    for (const id of expected.get(page)) {
      const r = await node.call('data_consumer.stats', { data_consumer: id });
      assert.equal(r.ok, false, `data_consumer.stats of closed ${id} fails: ${JSON.stringify(r)}`);
    }
  }
  // Exactly once: up to three events name each of them (the controller's
  // data_producer.closed, the node's, and the node's data_consumer.closed).
  await sleep(500);
  for (const page of stay) {
    const ids = (await events(page, 'dataConsumerClosed')).slice(seen.get(page)).map((e) => e.data.dataConsumerId);
    assert.deepEqual([...ids].sort(), expected.get(page), `${page.displayName}: one dataConsumerClosed each`);
  }
  // The two left keep chatting.
  const [a, b] = stay;
  const text = `after-leave ${randomId(6)}`;
  await a.evaluate((s) => window.braidDemo.chat.send(s), text);
  await waitFor(async () => (await dataMessages(b)).some((m) => m.text === text),
                { timeoutMs: 5000, what: `${b.displayName} to receive "${text}"` });
  // Deleting the broadcaster closes its data consumer at both.
  const { api, bid, dpId } = room.broadcaster ?? {};
  if (bid) {
    const dcIds = new Map();
    for (const page of stay) dcIds.set(page, (await dataState(page)).dataConsumers.find((x) => x.dataProducerId === dpId)?.id);
    await api.deleteBroadcaster(bid);
    for (const page of stay) {
      await waitFor(async () => (await events(page, 'dataConsumerClosed')).some((e) => e.data.dataConsumerId === dcIds.get(page)),
                    { timeoutMs: 8000, what: `dataConsumerClosed at ${page.displayName} for the deleted broadcaster's data` });
    }
  }
  t.diagnostic(`${dialect}: ${leaver.displayName} left; 2 × 3 dataConsumerClosed; chat goes on` +
               `${bid ? '; broadcaster deleted: its data consumers closed' : ''}`);
  // Done with this room: free the CPU for the next.
  await Promise.all(room.pages.map((p) => p.close().catch(() => {})));
}

for (const dialect of ['current', 'legacy']) {
  test(`${dialect} dialect: three peers, each with three chat channels, consume each other's`, { timeout: 45000 },
       wrap((t) => withLogs(() => setup(t, dialect))));
  test(`${dialect} dialect: every message arrives once at both others, ordered where promised; stats count them`,
       { timeout: 30000 }, wrap((t) => withLogs(() => chat(t, dialect))));
  test(`${dialect} dialect: 1 MiB of random bytes arrives intact (4 × 256 KiB from a browser, one 1 MiB message ` +
       'from node-sctp)', { timeout: 45000 },
       wrap((t) => withLogs(() => bigMessage(t, dialect))));
  test(`${dialect} dialect: a peer leaving closes its data consumers at the others (dataConsumerClosed)`,
       { timeout: 20000 }, wrap((t) => withLogs(() => leave(t, dialect))));
}

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  for (const r of Object.values(rooms)) await Promise.all(r.pages.map((p) => p.close().catch(() => {})));
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
