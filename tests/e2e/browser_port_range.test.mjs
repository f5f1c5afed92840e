// Per-transport port mode (--rtc-mode range): the media daemon has no shared
// WebRTC port; each transport binds the first free port of --port-range (UDP
// and ICE-TCP on the same number) and the node's transport.create_webrtc
// reply tells the controller which, for the ICE candidates. Two headless
// Chromium pages on the demo page call each other: every transport's
// selected candidate pair is on a port of the range, no two transports share
// one, and the daemon holds exactly those ports. The range has room for
// exactly those four transports, so when the pages close, the next two
// pages can only connect if the ports were freed (they get the same ones).
// Then the same over ICE-TCP (forceTcp).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';

import { freePortRange, randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { openPeer, pageLogs, waitConsumers, waitFramesGrow } from './lib/demo.mjs';

// Two pages, a send and a receive transport each.
const TRANSPORTS = 4;

let c;
let browser;
let lo;
let hi;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  [lo, hi] = await freePortRange(TRANSPORTS);
  c = await startCluster('browser_port_range', {
    controllers: 1, mediads: 1, mediadArgs: ['--rtc-mode', 'range', '--port-range', `${lo}-${hi}`],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

const nodeHash = () => c.redis.hgetall(c.key(`node:${c.mediads[0].nodeId}`));

// The loopback ports the media daemon listens on ('udp' or 'tcp'), from ss.
function daemonPorts(proto) {
  const pid = c.mediads[0].proc.pid;
  return new Promise((resolve, reject) => {
    execFile('ss', ['-Hln', proto === 'udp' ? '-u' : '-t', '-p'], (err, stdout) => {
      if (err) return reject(new Error(`ss failed: ${err.message}`));
      const ports = stdout.split('\n').filter((l) => l.includes(`pid=${pid},`))
        .map((l) => Number(l.trim().split(/\s+/)[3]?.split(':').pop()));
      resolve(ports.sort((a, b) => a - b));
    });
  });
}

// The range's ports the daemon holds, UDP and TCP (the shared --rtc-port of
// single mode is not bound at all in range mode).
async function heldPorts() {
  const inRange = (ps) => ps.filter((p) => p >= lo && p <= hi);
  const udp = await daemonPorts('udp');
  const tcp = await daemonPorts('tcp');
  assert.deepEqual(udp.filter((p) => p < lo || p > hi), [], 'the daemon binds no UDP port outside the range');
  return { udp: inRange(udp), tcp: inRange(tcp) };
}

// Two pages join one room and each decodes the other's video; returns the
// pages and the remote ports of their four selected candidate pairs.
async function call(t, query, protocol) {
  const roomId = randomId(8);
  const pages = [];
  try {
    const opened = await Promise.allSettled(['alice', 'bob'].map((displayName) =>
      openPeer(browser, c.controllers[0], { roomId, displayName, query })));
    for (const r of opened) if (r.status === 'fulfilled') pages.push(r.value);
    const failed = opened.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [a, b] = pages;
    await waitConsumers(a, [b.peerId]);
    await waitConsumers(b, [a.peerId]);
    await waitFramesGrow(a, [b.peerId], {}, { minFrames: 5, timeoutMs: 20000 });
    await waitFramesGrow(b, [a.peerId], {}, { minFrames: 5, timeoutMs: 20000 });

    const ports = [];
    for (const page of pages) {
      const pairs = await page.evaluate(() => window.braidDemo.selectedPairs());
      assert.equal(pairs.length, 2, `${page.displayName} has a send and a receive transport`);
      for (const p of pairs) {
        assert.equal(p.state, 'connected', `${page.displayName}'s ${p.direction} transport is connected`);
        // forceTcp offers only TCP. Otherwise Chromium may nominate the TCP pair
        // of the same port when its check succeeds first (seen under load):
        // either is the transport's own port.
        if (protocol === 'tcp') assert.equal(p.protocol, 'tcp', `${page.displayName}'s ${p.direction} transport uses tcp`);
        else assert.ok(['udp', 'tcp'].includes(p.protocol), `${page.displayName}'s ${p.direction} transport: ${p.protocol}`);
        const port = Number(p.remote?.split(':').pop());
        assert.ok(port >= lo && port <= hi, `${page.displayName}'s ${p.direction} transport: port ${port} in ${lo}-${hi}`);
        ports.push(port);
      }
    }
    t.diagnostic(`selected pairs on ports ${ports.join(', ')} (range ${lo}-${hi}, ${protocol})`);
    assert.equal(new Set(ports).size, TRANSPORTS, `each transport has a port of its own: ${ports.join(', ')}`);
    return { pages, ports: ports.sort((x, y) => x - y) };
  } catch (err) {
    console.log(pageLogs(pages));
    await Promise.all(pages.map((p) => p.close().catch(() => {})));
    throw err;
  }
}

// Closes the pages and waits until the daemon has closed their transports
// and released every port of the range.
async function hangUp(pages) {
  await Promise.all(pages.map((p) => p.close().catch(() => {})));
  await waitFor(async () => Number((await nodeHash()).transports) === 0,
                { timeoutMs: 10000, what: 'the node to close the pages\' transports' });
  await waitFor(async () => {
    const held = await heldPorts();
    return held.udp.length === 0 && held.tcp.length === 0;
  }, { timeoutMs: 5000, what: `the daemon to release ports ${lo}-${hi}`,
       detail: async () => JSON.stringify(await heldPorts()) });
}

test('the node publishes range mode and no shared port', { timeout: 10000 }, wrap(async () => {
  const h = await nodeHash();
  assert.equal(h.rtc_mode, 'range');
  assert.equal(h.rtc_port, '0', 'no single port in range mode');
  assert.equal(h.port_range, `${lo}-${hi}`);
  assert.deepEqual(await heldPorts(), { udp: [], tcp: [] }, 'no port is bound before a transport exists');
}));

test('two pages call over UDP, each transport on its own port of the range; closing frees them', { timeout: 90000 },
     wrap(async (t) => {
  const first = await call(t, {}, 'udp');
  // The daemon holds exactly those ports, UDP and TCP alike.
  assert.deepEqual(await heldPorts(), { udp: first.ports, tcp: first.ports });
  await hangUp(first.pages);
  // The range has room for four transports only: the next call works only
  // because the ports came back, and it gets the same ones.
  const second = await call(t, {}, 'udp');
  assert.deepEqual(second.ports, first.ports, 'the freed ports are taken again');
  await hangUp(second.pages);
}));

test('with forceTcp the call goes over ICE-TCP, still one port per transport', { timeout: 90000 }, wrap(async (t) => {
  const tcpBefore = Number((await nodeHash()).tcp_accepted ?? 0);
  const { pages, ports } = await call(t, { forceTcp: 'true' }, 'tcp');
  assert.deepEqual((await heldPorts()).tcp, ports);
  // The node's counters sum the transports' own servers.
  await waitFor(async () => Number((await nodeHash()).tcp_accepted ?? 0) >= tcpBefore + TRANSPORTS,
                { timeoutMs: 3000, what: `the node to count ${TRANSPORTS} more ICE-TCP connections (tcp_accepted)` });
  await hangUp(pages);
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
