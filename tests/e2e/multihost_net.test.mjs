// The multi-host harness (lib/netns.mjs + cluster.mjs { net }): a private
// test network of three "hosts" (network namespaces joined by a bridge on a
// /24 nothing else here uses), one media daemon in each, redis and two
// controllers beside them in the root namespace. Proves that each daemon
// registers with its host's address, that a daemon in a namespace dies by
// SIGKILL of its pid (its node key expires), that a browser call runs through
// a daemon inside a namespace (two peers on two controllers; the room's
// router lives on one daemon), that no traffic can leave the test net, and
// that stopping the cluster leaves no namespace, veth or bridge behind.
//
// Needs root (network namespaces): as any other user it fails, loudly.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { openPeer, pageLogs, waitConsumers, waitFramesGrow } from './lib/demo.mjs';
import { IP, run } from './lib/netns.mjs';

const HOSTS = 3;
// Node key TTL 3 s, refreshed every second; a little more for a loaded
// machine running sanitizer builds.
const VANISH_LIMIT_MS = 4000;

let c;
let net;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  if (process.getuid?.() !== 0) {
    throw new Error(`multihost_net needs root to create network namespaces (uid ${process.getuid()}): ` +
                    'run it as root, as CI does; it is not skipped');
  }
  const t0 = Date.now();
  c = await startCluster('multihost_net', { net: { hosts: HOSTS }, mediads: HOSTS, controllers: 2 });
  net = c.net;
  const t1 = Date.now();
  browser = await launchBrowser();
  console.log(`test net ${net.bridge} ${net.subnet}: ${net.hosts.map((h) => `${h.name}=${h.ip}`).join(' ')}; ` +
                       `cluster up in ${t1 - t0} ms, browser in ${Date.now() - t1} ms`);
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

const inNs = (pid) => fs.readlinkSync(`/proc/${pid}/ns/net`);

test('three hosts on a bridge of their own; routes and forwarding keep traffic inside', { timeout: 20000 },
     wrap(async () => {
  assert.equal(net.hosts.length, HOSTS);
  assert.match(net.subnet, /^10\.(2[0-4]\d|25[0-4])\.\d+\.0\/24$/);
  assert.equal(new Set(net.hosts.map((h) => h.ip)).size, HOSTS, 'distinct host addresses');

  // The bridge's only ports are the hosts' veths: no physical interface.
  const ports = (await run([IP, '-o', 'link', 'show', 'master', net.bridge])).split('\n')
    .map((l) => l.match(/^\d+:\s+([^:@\s]+)/)?.[1]).filter(Boolean).sort();
  assert.deepEqual(ports, net.hosts.map((h) => h.veth).sort(), `ports of ${net.bridge}`);
  // Nothing arriving on the bridge is routed beyond it.
  assert.equal(fs.readFileSync(`/proc/sys/net/ipv4/conf/${net.bridge}/forwarding`, 'utf8').trim(), '0');

  for (const h of net.hosts) {
    // One interface besides lo, and two routes: the subnet and a default via
    // the bridge (which forwards nothing further).
    const links = (await net.ipIn(h.index, ['-o', 'link', 'show'])).split('\n')
      .map((l) => l.match(/^\d+:\s+([^:@\s]+)/)?.[1]).filter(Boolean).sort();
    assert.deepEqual(links, ['lo', h.peer].sort(), `interfaces of ${h.name}`);
    const routes = (await net.ipIn(h.index, ['-4', 'route', 'show', 'table', 'all']))
      .split('\n').map((l) => l.trim()).filter((l) => l && !/^(local|broadcast) /.test(l));
    assert.deepEqual(routes.map((r) => r.replace(/\s+proto kernel|\s+scope link|\s+src \S+/g, '')).sort(),
                     [`${net.subnet} dev ${h.peer}`, `default via ${net.bridgeIp} dev ${h.peer}`].sort(),
                     `routes of ${h.name}: ${JSON.stringify(routes)}`);
    assert.deepEqual((await net.ipIn(h.index, ['-6', 'route', 'show'])).trim(), '', `no IPv6 routes in ${h.name}`);
  }

  // Redis and the controllers run in this namespace; each daemon in its host's.
  const rootNs = inNs(process.pid);
  assert.equal(inNs(c.redisProc.pid), rootNs);
  for (const ctl of c.controllers) assert.equal(inNs(ctl.proc.pid), rootNs);
  for (const [i, m] of c.mediads.entries()) {
    assert.equal(m.host, i, `mediad ${i} on host ${i}`);
    assert.equal(inNs(m.proc.pid), `net:[${fs.statSync(`/run/netns/${net.hosts[i].name}`).ino}]`);
  }
}));

test('each node key in Redis shows its host\'s address', { timeout: 20000 }, wrap(async () => {
  const nodes = await c.braidctlJson(['nodes']);
  assert.deepEqual(nodes.map((n) => n.id).sort(), c.mediads.map((m) => m.nodeId).sort());
  for (const m of c.mediads) {
    const h = await c.redis.hgetall(c.key(`node:${m.nodeId}`));
    assert.equal(m.ip, net.hosts[m.host].ip);
    assert.equal(h.ip, m.ip, `node ${m.nodeId} ip: ${JSON.stringify(h)}`);
    assert.equal(h.announced_ip, m.ip, `node ${m.nodeId} announced_ip: ${JSON.stringify(h)}`);
    assert.equal(Number(h.rtc_port), m.rtcPort);
  }
}));

test('a browser call through a daemon inside a namespace: two peers on two controllers', { timeout: 60000 },
     wrap(async (t) => {
  const roomId = randomId(8);
  const pages = [];
  const t0 = Date.now();
  try {
    pages.push(await openPeer(browser, c.controllers[0], { roomId, displayName: 'alice' }));
    pages.push(await openPeer(browser, c.controllers[1], { roomId, displayName: 'bob' }));
    const ids = pages.map((p) => p.peerId);
    for (const page of pages) await waitConsumers(page, ids.filter((id) => id !== page.peerId));
    const first = [];
    for (const page of pages) {
      first.push(await waitFramesGrow(page, ids.filter((id) => id !== page.peerId), {}, { minFrames: 5, timeoutMs: 20000 }));
    }

    // The room's router(s) are on daemons of the test net (today one: a room
    // lives on the least-loaded daemon), and each page's transports are
    // connected to the host address of one of them.
    const room = await c.braidctlJson(['room', roomId]);
    assert.deepEqual(room.peers.map((p) => p.controller).sort(), c.controllers.map((x) => x.id).sort(),
                     `one peer on each controller: ${JSON.stringify(room.peers)}`);
    assert.ok(room.routers.length >= 1, JSON.stringify(room.routers));
    const roomNodes = room.routers.map((r) => {
      const md = c.mediads.find((m) => m.nodeId === r.node);
      assert.ok(md, `the room's node ${r.node} is one of ours`);
      assert.ok(net.hostOf(md.ip), `${md.ip} is a host of the test net`);
      return md;
    });
    const used = new Set();
    for (const page of pages) {
      const pairs = await page.evaluate(() => window.braidDemo.selectedPairs());
      assert.equal(pairs.length, 2, `${page.displayName}: send and receive transports: ${JSON.stringify(pairs)}`);
      for (const p of pairs) {
        assert.equal(p.state, 'connected', `${page.displayName} ${p.direction}: ${JSON.stringify(p)}`);
        const md = roomNodes.find((m) => p.remote === `${m.ip}:${m.rtcPort}`);
        assert.ok(md, `${page.displayName} ${p.direction} is connected to ${p.remote}, a daemon of the room ` +
                      `(${roomNodes.map((m) => `${m.ip}:${m.rtcPort}`).join(', ')})`);
        used.add(md);
      }
    }

    await sleep(2000);
    for (const [i, page] of pages.entries()) {
      const others = ids.filter((id) => id !== page.peerId);
      const second = await waitFramesGrow(page, others, first[i], { minFrames: 10, timeoutMs: 10000 });
      t.diagnostic(`${page.displayName} (via ${page === pages[0] ? c.controllers[0].id : c.controllers[1].id}): ` +
                   `${others.map((id) => `${first[i][id].framesDecoded}→${second[id].framesDecoded} frames ` +
                   `${second[id].frameWidth}x${second[id].frameHeight}`).join(', ')}`);
    }
    t.diagnostic(`media through ${[...used].map((md) => `${md.proc.name} at ${md.ip}:${md.rtcPort} ` +
                 `(${net.hostOf(md.ip).name})`).join(', ')}; ` +
                 `call up and verified in ${Date.now() - t0} ms`);
  } catch (err) {
    err.message += `\n${pageLogs(pages)}`;
    throw err;
  } finally {
    for (const p of pages) await p.close().catch(() => {});
  }
}));

test('SIGKILL of a daemon\'s pid in a namespace: it dies, its node key vanishes', { timeout: 20000 },
     wrap(async (t) => {
  const victim = c.mediads[HOSTS - 1];
  const key = c.key(`node:${victim.nodeId}`);
  const pid = victim.proc.pid;
  assert.match(fs.readlinkSync(`/proc/${pid}/exe`), /braid-mediad$/, `pid ${pid} is the daemon itself`);
  victim.proc.expectedExit = true;
  const t0 = Date.now();
  process.kill(pid, 'SIGKILL');
  await victim.proc.exited;
  assert.equal(victim.proc.exitSignal, 'SIGKILL');
  const gone = await waitFor(async () => (await c.redis.call('EXISTS', key)) === 0 && Date.now(),
                             { timeoutMs: 8000, intervalMs: 20, what: `${key} to expire` });
  t.diagnostic(`node key vanished ${gone - t0} ms after SIGKILL`);
  assert.ok(gone - t0 <= VANISH_LIMIT_MS, `node key vanished ${gone - t0} ms after SIGKILL (limit ${VANISH_LIMIT_MS})`);
  for (const m of c.mediads.filter((x) => x !== victim)) {
    assert.ok(m.proc.alive, `${m.proc.name} still running`);
    assert.equal(await c.redis.call('EXISTS', c.key(`node:${m.nodeId}`)), 1, `${m.proc.name} still registered`);
  }
}));

test('stop: clean exits, and no namespace, veth or bridge is left', { timeout: 30000 }, async () => {
  for (const p of c.procs) if (!p.expectedExit) assert.ok(p.alive, `${p.name} still running`);
  const problems = await c.stop();
  assert.deepEqual(problems, []);
  const nsList = await run([IP, 'netns', 'list']);
  for (const h of net.hosts) assert.ok(!nsList.includes(h.name), `netns ${h.name} removed:\n${nsList}`);
  const links = await run([IP, '-o', 'link', 'show']);
  for (const l of [net.bridge, ...net.hosts.map((h) => h.veth)]) {
    assert.ok(!new RegExp(`^\\d+:\\s+${l}[:@]`, 'm').test(links), `link ${l} removed`);
  }
  assert.ok(!(await run([IP, '-4', '-o', 'addr', 'show'])).includes(` ${net.bridgeIp}/`), `${net.bridgeIp} removed`);
  assert.deepEqual(await net.leftovers(), []);
});
