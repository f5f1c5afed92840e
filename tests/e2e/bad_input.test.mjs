// Bad input on the controller's WebSocket: unframeable input closes the socket
// with a documented code, bad requests get protoo error responses, and after
// each the controller keeps serving a well-behaved peer.
//
// Close codes: 1007 malformed JSON, 1008 JSON that is not a protoo message,
// 1003 binary frame, 1009 message over 960,000 bytes. Error responses: 500
// `unknown request method "<m>"`, 400 naming the offending field. Upgrades
// without roomId/peerId get HTTP 400; without subprotocol protoo, no upgrade.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { httpGet, randomId, startCluster } from './lib/cluster.mjs';
import { httpUpgrade, loadDevice, NODE_DEVICE, newPeerId, RawWs } from './lib/peers.mjs';

let c;
let good; // a well-behaved peer that must keep getting answers
const wrap = (fn) => (t) => c.wrap(fn)(t);
const MAX_MESSAGE = 960000;

before(async () => {
  c = await startCluster('bad_input', { controllers: 1, mediads: 1 });
  good = await RawWs.connect(c.controllers[0].wsUrl(randomId(8), newPeerId()));
});

after(async () => {
  good?.close();
  await c?.stop();
});

// The controller still serves: the long-lived good peer and a fresh peer get
// answers, and /healthz is 200.
async function stillServing() {
  const r = await good.request('getRouterRtpCapabilities');
  assert.equal(r.ok, true, `good peer still answered: ${JSON.stringify(r).slice(0, 300)}`);
  assert.ok(Array.isArray(r.data.routerRtpCapabilities.codecs));
  const fresh = await RawWs.connect(c.controllers[0].wsUrl(randomId(8), newPeerId()));
  try {
    await fresh.waitNotification('mediasoupVersion');
    const r2 = await fresh.request('getRouterRtpCapabilities');
    assert.equal(r2.ok, true);
  } finally {
    fresh.close();
  }
  assert.equal((await httpGet(`${c.controllers[0].httpUrl}/healthz`)).status, 200);
  assert.ok(c.controllers[0].proc.alive, 'controller still running');
}

async function badPeer() {
  const p = await RawWs.connect(c.controllers[0].wsUrl(randomId(8), newPeerId()));
  await p.waitNotification('mediasoupVersion');
  return p;
}

async function expectClose(payload, code, what, opts = {}) {
  const p = await badPeer();
  try {
    await p.send(payload, opts);
    const closed = await p.waitClose(10000);
    assert.equal(closed.code, code, `${what}: close code ${code}, got ${JSON.stringify(closed)}`);
  } finally {
    p.close();
  }
  await stillServing();
}

test('malformed JSON closes with 1007', { timeout: 30000 }, wrap(async () => {
  await expectClose('{"request":true,"id":1,"method":', 1007, 'truncated JSON');
  await expectClose('not json at all', 1007, 'not JSON');
  await expectClose(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 1007, 'invalid UTF-8 text',
                    { binary: false });
}));

test('JSON that is not a protoo message closes with 1008', { timeout: 30000 }, wrap(async () => {
  await expectClose('{"hello":"world"}', 1008, 'object without request/response/notification');
  await expectClose('[1,2,3]', 1008, 'top-level array');
  await expectClose('42', 1008, 'top-level number');
  await expectClose('{"request":true,"id":"x","method":"join","data":{}}', 1008, 'request with a string id');
  await expectClose('{"request":true,"id":5,"method":7,"data":{}}', 1008, 'request with a number method');
  await expectClose('{"notification":true,"data":{}}', 1008, 'notification without method');
}));

test('a binary frame closes with 1003', { timeout: 30000 }, wrap(async () => {
  await expectClose(Buffer.from('{"request":true,"id":1,"method":"getRouterRtpCapabilities","data":{}}'),
                    1003, 'binary frame', { binary: true });
}));

test('a message over 960,000 bytes closes with 1009', { timeout: 30000 }, wrap(async () => {
  const pad = 'x'.repeat(MAX_MESSAGE + 1000);
  const big = JSON.stringify({ request: true, id: 1, method: 'join',
                               data: { displayName: pad, device: NODE_DEVICE } });
  assert.ok(Buffer.byteLength(big) > MAX_MESSAGE);
  await expectClose(big, 1009, 'oversized message');
}));

test('a message of just under 960,000 bytes is not closed for its size', { timeout: 30000 },
     wrap(async () => {
  const p = await badPeer();
  try {
    const base = JSON.stringify({ request: true, id: 77, method: 'getRouterRtpCapabilities',
                                  data: { pad: '' } });
    const pad = 'y'.repeat(MAX_MESSAGE - 1000 - Buffer.byteLength(base));
    const msg = JSON.stringify({ request: true, id: 77, method: 'getRouterRtpCapabilities', data: { pad } });
    assert.ok(Buffer.byteLength(msg) < MAX_MESSAGE);
    await p.send(msg);
    const r = await p.messages.wait((m) => m.response === true && m.id === 77, 10000, 'response 77');
    assert.equal(r.ok, true, JSON.stringify(r).slice(0, 300));
    assert.equal(p.closeInfo, null, 'still open');
  } finally {
    p.close();
  }
  await stillServing();
}));

test('an unknown method gets error 500 and the socket stays open', { timeout: 30000 }, wrap(async () => {
  const p = await badPeer();
  try {
    const r = await p.request('fooBar', {});
    assert.equal(r.ok, false);
    assert.equal(r.errorCode, 500);
    assert.equal(r.errorReason, 'unknown request method "fooBar"');
    // The same socket still works.
    const r2 = await p.request('getRouterRtpCapabilities');
    assert.equal(r2.ok, true);
    assert.equal(p.closeInfo, null);
  } finally {
    p.close();
  }
  await stillServing();
}));

test('missing or wrongly typed fields get error 400 naming the field', { timeout: 30000 }, wrap(async () => {
  const p = await badPeer();
  try {
    const caps = await p.request('getRouterRtpCapabilities');
    const dev = await loadDevice(caps.data.routerRtpCapabilities);
    const rtpCapabilities = dev.recvRtpCapabilities;
    const cases = [
      ['join', { displayName: 42, device: NODE_DEVICE, rtpCapabilities }, 'displayName'],
      ['join', 5, 'data'],
      ['join', { displayName: 'x', device: 'phone', rtpCapabilities }, 'device'],
      ['join', { displayName: 'x', device: NODE_DEVICE, rtpCapabilities: 'caps' }, 'rtpCapabilities'],
      ['createWebRtcTransport', { forceTcp: false, appData: 'producer' }, 'appData'],
      ['createWebRtcTransport', { forceTcp: false, appData: [1] }, 'appData'],
      // Missing: the current dialect needs appData.direction to pick the router.
      ['createWebRtcTransport', { forceTcp: false }, 'appData'],
    ];
    for (const [method, data, field] of cases) {
      const r = await p.request(method, data);
      const what = `${method} ${JSON.stringify(data).slice(0, 120)}`;
      assert.equal(r.ok, false, `${what}: error response`);
      assert.equal(r.errorCode, 400, `${what}: errorCode 400, got ${JSON.stringify(r)}`);
      assert.equal(typeof r.errorReason, 'string');
      assert.ok(r.errorReason.includes(field), `${what}: errorReason names ${field}: "${r.errorReason}"`);
      assert.equal(p.closeInfo, null, `${what}: socket stays open`);
    }
    // After all that, a correct join on the same socket works.
    const j = await p.request('join', { displayName: 'ok', device: NODE_DEVICE, rtpCapabilities });
    assert.equal(j.ok, true, JSON.stringify(j));
    assert.deepEqual(j.data.peers, []);
  } finally {
    p.close();
  }
  await stillServing();
}));

test('connecting without roomId or peerId is refused with HTTP 400', { timeout: 30000 }, wrap(async () => {
  const { port } = c.controllers[0];
  for (const q of ['/', `/?roomId=${randomId(8)}`, `/?peerId=${newPeerId()}`, '/?roomId=&peerId=']) {
    const r = await httpUpgrade(port, q);
    assert.equal(r.status, 400, `${q}: HTTP 400 on upgrade, got ${JSON.stringify(r)}`);
    // And through a real client library, too.
    const w = await RawWs.attempt(`ws://127.0.0.1:${port}${q}`);
    assert.equal(w.opened, false, `${q}: must not open`);
  }
  await stillServing();
}));

test('connecting without the protoo subprotocol is refused', { timeout: 30000 }, wrap(async () => {
  const { port } = c.controllers[0];
  const q = `/?roomId=${randomId(8)}&peerId=${newPeerId()}`;
  // Sanity: the same request with the subprotocol is accepted (101, protoo).
  const ok = await httpUpgrade(port, q, { protocol: 'protoo' });
  assert.equal(ok.status, 101, JSON.stringify(ok));
  assert.equal(ok.headers['sec-websocket-protocol'], 'protoo');
  for (const protocol of [null, 'chat']) {
    const r = await httpUpgrade(port, `/?roomId=${randomId(8)}&peerId=${newPeerId()}`, { protocol });
    assert.ok(r.status !== 101, `subprotocol ${protocol}: upgrade refused, got ${JSON.stringify(r)}`);
    const w = await RawWs.attempt(c.controllers[0].wsUrl(randomId(8), newPeerId()), { protocols: protocol });
    assert.equal(w.opened, false, `subprotocol ${protocol}: ws client must not open (${JSON.stringify(w)})`);
  }
  await stillServing();
}));

test('the controller is alive and exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  good.close();
  for (const p of c.procs) assert.ok(p.alive, `${p.name} still running`);
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
