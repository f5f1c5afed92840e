// SCTP over plain UDP (issue 5): a Node.js endpoint built on the npm `sctp`
// package (node-sctp 1.0.0, tests/e2e/lib/sctp_endpoint.mjs) talks to a
// broadcaster's plain transport created with sctpCapabilities, as
// mediasoup's own test-node-sctp.ts does (SCTP ports 5000 on both sides, one
// SCTP packet per UDP datagram, PPID 51 string, 53 binary, 56/57 empty):
//  - it produces data into the room with label 'chat' (and appData.channel
//    'chat'): a Chromium peer on the demo page consumes it and receives each
//    message, strings and binary, the empty ones included, intact and in
//    order;
//  - it consumes the browser's chat data producer (consume/data answers the
//    server-chosen streamId) and receives the browser's messages on that
//    stream with the right PPIDs;
//  - the same with comedia (the daemon learns the endpoint from its first
//    SCTP packet), rtcp-mux, no connect call;
//  - deleting the broadcaster closes the browser's data consumer of it
//    (dataConsumerClosed).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { BroadcasterApi } from './lib/bcast_api.mjs';
import { dataMessages, events, openPeer, pageLogs, waitChatProducer, waitDataConsumers } from './lib/demo.mjs';
import { NodeCommander } from './lib/node_cmd.mjs';
import { PPID, SctpEndpoint } from './lib/sctp_endpoint.mjs';

let c;
let browser;
let page;
let api;
let node;
let chatId; // the browser's chat data producer
const roomId = randomId(8);
const endpoints = [];
const wrap = (fn) => (t) => c.wrap(fn)(t);
const SCTP_CAPS = { numStreams: { OS: 256, MIS: 256 } };

before(async () => {
  c = await startCluster('plain_sctp', { controllers: 1, mediads: 1 });
  browser = await launchBrowser();
  page = await openPeer(browser, c.controllers[0], { roomId, displayName: 'web' });
  chatId = await waitChatProducer(page);
  api = new BroadcasterApi(c.controllers[0], roomId);
  node = await NodeCommander.open(c, c.mediads[0]);
});

after(async () => {
  for (const ep of endpoints) ep.close();
  await page?.close().catch(() => {});
  await browser?.close();
  await c?.stop();
});

async function withLogs(fn) {
  try {
    return await fn();
  } catch (err) {
    console.log(pageLogs([page]));
    for (const ep of endpoints) {
      console.log(`node-sctp endpoint :${ep.localPort}: ${ep.rawIn.length} datagrams in, ${ep.messages.length} messages, ` +
                  `errors: ${ep.errors.join('; ') || 'none'}, ended: ${ep.ended}`);
    }
    throw err;
  }
}

// A broadcaster with a plain transport with SCTP; checks the sctpParameters
// answered (mediasoup's: port 5000, OS/MIS from numStreams, maxMessageSize
// 262144 by default, and the newer field names too).
async function plainWithSctp(opts) {
  const bid = `node-sctp-${randomId(6)}`;
  await api.createBroadcaster(bid, { displayName: bid, device: { name: 'node-sctp' } });
  const t = await api.createPlain(bid, { sctpCapabilities: SCTP_CAPS, ...opts });
  const sp = t.sctpParameters;
  assert.ok(sp, `plain transport with sctpCapabilities answers sctpParameters: ${JSON.stringify(t)}`);
  assert.equal(sp.port, 5000, 'sctpParameters.port');
  assert.equal(sp.OS, 256, 'sctpParameters.OS (numStreams.OS)');
  assert.equal(sp.MIS, 256, 'sctpParameters.MIS (numStreams.MIS)');
  assert.equal(sp.maxMessageSize, 262144, 'sctpParameters.maxMessageSize');
  assert.equal(typeof t.ip, 'string');
  assert.ok(Number.isInteger(t.port) && t.port > 0);
  return { bid, t };
}

const path = (bid, tid, rest) => `/broadcasters/${bid}/transports/${tid}/${rest}`;

// The browser's messages from one data producer, with binary payloads as hex.
const messagesOf = (dpId) => page.evaluate((id) => window.braidDemo.messages.filter((m) => m.dataProducerId === id)
  .map((m) => (typeof m.data === 'string' ? { type: 'string', text: m.data, peerId: m.peerId, label: m.label }
    : { type: m.data instanceof ArrayBuffer ? 'binary' : Object.prototype.toString.call(m.data), peerId: m.peerId,
        label: m.label, hex: m.data instanceof ArrayBuffer ? [...new Uint8Array(m.data)].map((b) => b.toString(16).padStart(2, '0')).join('') : null })),
dpId);

// What the endpoint sends into the room, and what the browser must see.
const OUTGOING = [
  { data: 'hello from node-sctp', want: { type: 'string', text: 'hello from node-sctp' } },
  { data: Buffer.from([...Array(256).keys()]), want: { type: 'binary', hex: Buffer.from([...Array(256).keys()]).toString('hex') } },
  { data: '', want: { type: 'string', text: '' } }, // PPID 56
  { data: Buffer.alloc(0), want: { type: 'binary', hex: '' } }, // PPID 57
  { data: 'ünïcødé 😀 ✓', want: { type: 'string', text: 'ünïcødé 😀 ✓' } },
  { data: 'x'.repeat(5000), want: { type: 'string', text: 'x'.repeat(5000) } }, // several DATA chunks
];

async function produceIntoRoom(t, ep, bid, tid, streamId) {
  const dp = await api.ok('POST', path(bid, tid, 'produce/data'), {
    label: 'chat', protocol: 'node-sctp', sctpStreamParameters: { streamId, ordered: true }, appData: { channel: 'chat' },
  });
  assert.equal(typeof dp.id, 'string', `produce/data answers {id}: ${JSON.stringify(dp)}`);
  const { [dp.id]: dc } = await waitDataConsumers(page, [dp.id]);
  assert.equal(dc.label, 'chat');
  assert.equal(dc.protocol, 'node-sctp', 'the data consumer copies the data producer protocol');
  assert.equal(dc.sctpStreamParameters.ordered, true);
  for (const m of OUTGOING) await ep.send(streamId, m.data);
  const got = await waitFor(async () => {
    const g = await messagesOf(dp.id);
    return g.length >= OUTGOING.length && g;
  }, { timeoutMs: 10000, what: `the browser to receive ${OUTGOING.length} messages from node-sctp`,
       detail: async () => JSON.stringify((await messagesOf(dp.id)).map((x) => ({ ...x, text: x.text?.slice(0, 40) }))) });
  assert.equal(got.length, OUTGOING.length, 'no extra message');
  for (const [i, m] of OUTGOING.entries()) {
    const { peerId, label, ...g } = got[i];
    assert.deepEqual(g, m.want, `message ${i} (${typeof m.data === 'string' ? 'string' : 'binary'}, ${m.data.length} bytes)`);
    assert.equal(label, 'chat');
    assert.equal(peerId, bid, 'messages carry the broadcaster as peerId');
  }
  const [ps] = await node.stats('data_producer', dp.id);
  assert.equal(ps.type, 'data-producer');
  assert.equal(ps.messagesReceived, OUTGOING.length, `data producer stats: ${JSON.stringify(ps)}`);
  t.diagnostic(`node-sctp → browser: ${OUTGOING.length} messages (PPID 51, 53, 56, 57) on stream ${streamId}`);
  return { dp, dc };
}

async function consumeFromRoom(t, ep, bid, tid) {
  const r = await api.ok('POST', path(bid, tid, 'consume/data'), { dataProducerId: chatId });
  assert.equal(typeof r.id, 'string', `consume/data answers {id, streamId}: ${JSON.stringify(r)}`);
  assert.ok(Number.isInteger(r.streamId) && r.streamId >= 0 && r.streamId < SCTP_CAPS.numStreams.MIS,
            `streamId ${r.streamId} in [0, MIS)`);
  const tag = randomId(6);
  const bin = [7, 0, 255, 1, 2, 3];
  await page.evaluate(({ tag, bin, id }) => {
    window.braidDemo.chat.send(`browser says ${tag} 1`);
    window.braidDemo.dataProducers.get(id).send(new Uint8Array(bin).buffer);
    window.braidDemo.chat.send(`browser says ${tag} 2`);
  }, { tag, bin, id: chatId });
  const got = await ep.waitMessages((m) => m.streamId === r.streamId, 3,
                                    { what: `messages from the browser on stream ${r.streamId}` });
  assert.deepEqual(got.map((m) => m.ppid), [PPID.STRING, PPID.BINARY, PPID.STRING], 'PPIDs 51, 53, 51');
  assert.equal(got[0].data.toString('utf8'), `browser says ${tag} 1`);
  assert.deepEqual([...got[1].data], bin);
  assert.equal(got[2].data.toString('utf8'), `browser says ${tag} 2`);
  assert.ok(!ep.messages.some((m) => m.streamId !== r.streamId), 'nothing on other streams');
  const [cs] = await node.stats('data_consumer', r.id);
  assert.equal(cs.type, 'data-consumer');
  assert.equal(cs.messagesSent, 3, `data consumer stats: ${JSON.stringify(cs)}`);
  t.diagnostic(`browser → node-sctp: 3 messages on server-chosen stream ${r.streamId}`);
  return r;
}

let first; // {bid, t, ep, dp}

test('node-sctp on a connected plain transport produces data (PPID 51/53/56/57) that the browser receives',
     { timeout: 30000 }, wrap((t) => withLogs(async () => {
  const { bid, t: tr } = await plainWithSctp({ comedia: false, rtcpMux: false });
  assert.ok(Number.isInteger(tr.rtcpPort), 'rtcpMux false: an RTCP port');
  const ep = await SctpEndpoint.bind();
  endpoints.push(ep);
  // No rtcp-mux: mediasoup requires an rtcpPort too (no RTCP is sent here).
  await api.connect(bid, tr.id, { ip: '127.0.0.1', port: ep.localPort, rtcpPort: ep.localPort });
  const { OS, MIS } = tr.sctpParameters;
  const t0 = Date.now();
  await ep.associate({ ip: tr.ip, port: tr.port, OS, MIS });
  t.diagnostic(`association up in ${Date.now() - t0} ms`);
  const { dp } = await produceIntoRoom(t, ep, bid, tr.id, 7);
  first = { bid, t: tr, ep, dp };
})));

test('node-sctp consumes the browser\'s chat data producer on the server-chosen stream', { timeout: 20000 },
     wrap((t) => withLogs(async () => {
  assert.ok(first, 'the first test set up the endpoint');
  await consumeFromRoom(t, first.ep, first.bid, first.t.id);
})));

test('comedia: the daemon learns the endpoint from its first SCTP packet; data flows both ways', { timeout: 30000 },
     wrap((t) => withLogs(async () => {
  const { bid, t: tr } = await plainWithSctp({ comedia: true, rtcpMux: true });
  assert.equal(tr.rtcpPort, undefined, 'rtcpMux: no RTCP port');
  const ep = await SctpEndpoint.bind();
  endpoints.push(ep);
  await ep.associate({ ip: tr.ip, port: tr.port, OS: tr.sctpParameters.OS, MIS: tr.sctpParameters.MIS });
  await produceIntoRoom(t, ep, bid, tr.id, 0);
  await consumeFromRoom(t, ep, bid, tr.id);
  const [s] = await node.stats('transport', tr.id);
  assert.equal(s.tuple?.remotePort, ep.localPort, `comedia tuple is the endpoint's: ${JSON.stringify(s.tuple)}`);
})));

test('deleting the broadcaster closes the browser\'s data consumer of it (dataConsumerClosed)', { timeout: 15000 },
     wrap((t) => withLogs(async () => {
  assert.ok(first?.dp, 'the first test produced');
  const dcs = await waitDataConsumers(page, [first.dp.id]);
  const dcId = dcs[first.dp.id].id;
  await api.deleteBroadcaster(first.bid);
  await waitFor(async () => (await events(page, 'dataConsumerClosed')).some((e) => e.data.dataConsumerId === dcId),
                { timeoutMs: 8000, what: `dataConsumerClosed for ${dcId}`,
                  detail: async () => JSON.stringify(await events(page, 'dataConsumerClosed')) });
  // The browser's own chat still works for the comedia endpoint.
  const before0 = endpoints[1].messages.length;
  await page.evaluate(() => window.braidDemo.chat.send('still here'));
  await endpoints[1].waitMessages((m) => m.data.toString() === 'still here', 1);
  assert.equal(endpoints[1].messages.length, before0 + 1);
  assert.ok((await dataMessages(page)).length >= OUTGOING.length * 2);
})));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  for (const ep of endpoints) ep.close();
  await page?.close().catch(() => {});
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
