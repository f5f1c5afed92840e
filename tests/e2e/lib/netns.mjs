// A private test network for multi-host e2e tests: a Linux bridge in the root
// network namespace and one network namespace per "host", each joined to the
// bridge by a veth pair, on a /24 of 10.200.0.0-10.254.255.0 that nothing on
// this machine uses.
//
//   root ns:  bridge <bridge> = <subnet>.1/24   (no physical port; IPv4
//             forwarding off on it, so nothing from the test net is routed on)
//   host i:   netns <hosts[i].name>, lo up, <subnet>.(10+i)/24 on a veth whose
//             other end is a port of the bridge; default route via <subnet>.1
//
// Processes in the root namespace (redis, controllers, Chromium) reach the
// hosts over the bridge; the hosts reach the root namespace at bridgeIp and
// each other over the bridge; nothing leaves the test net or loopback.
//
// Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN for `ip netns`) and iproute2.
// Without root createTestNet() throws: a multi-host test must fail, not skip.
//
// Everything created is listed, as soon as it exists, as a shell command that
// removes it (`ip link del X`, `ip netns del Y`) in `cleanupFile`: the e2e
// cluster's crash watchdog (cluster.mjs) runs that file if the node process
// dies without cleanup(). Without a cleanupFile, createTestNet() starts a
// watchdog of its own for that. cleanup() (and cleanupSync() at process exit)
// removes everything and returns what is still there (should be []).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// iproute2's `ip`, by absolute path where possible (PATH may lack /sbin).
export const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}) ?? 'ip';

// iproute2's `tc` (for tbf bandwidth limits), found the same way.
export const TC = ['/usr/sbin/tc', '/sbin/tc', '/usr/bin/tc', '/bin/tc'].find((p) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}) ?? 'tc';

const MAX_HOSTS = 50;

function shortId(n = 5) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[b[i] % alphabet.length];
  return s;
}

// Runs argv; resolves with stdout, rejects with an error naming the command
// and its stderr.
export function run(argv, { timeoutMs = 10000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(argv[0], argv.slice(1), { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const why = err.code === 'ENOENT'
        ? `${argv[0]} not found (install iproute2: apt-get install iproute2)`
        : `exit ${err.code ?? err.signal}: ${String(stderr).trim() || err.message}`;
      reject(new Error(`${argv.join(' ')}: ${why}`));
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

// ---- addresses ----------------------------------------------------------------

function ipToInt(s) {
  const p = s.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return null;
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

function parsePrefix(s) {
  const [a, l] = s.split('/');
  const addr = ipToInt(a);
  const len = l === undefined ? 32 : Number(l);
  if (addr === null || !Number.isInteger(len) || len < 0 || len > 32) return null;
  return { addr, len };
}

function overlaps(x, y) {
  const len = Math.min(x.len, y.len);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((x.addr & mask) >>> 0) === ((y.addr & mask) >>> 0);
}

const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit',
                             'blackhole', 'nat', 'anycast']);

// Every IPv4 prefix this machine's root namespace has an address or a route
// for (any table), except the default route.
async function usedPrefixes() {
  const out = [];
  for (const line of (await run([IP, '-4', 'route', 'show', 'table', 'all'])).split('\n')) {
    const tok = line.trim().split(/\s+/);
    let dst = tok[0];
    if (ROUTE_TYPES.has(dst)) dst = tok[1];
    if (!dst || dst === 'default') continue;
    const p = parsePrefix(dst);
    if (p) out.push(p);
  }
  for (const line of (await run([IP, '-4', '-o', 'addr', 'show'])).split('\n')) {
    const m = line.match(/\binet (\d+\.\d+\.\d+\.\d+\/\d+)/);
    if (m) out.push(parsePrefix(m[1]));
  }
  return out;
}

// A random 10.200.0.0/24 .. 10.254.255.0/24 that overlaps nothing in use.
async function pickSubnet() {
  const used = await usedPrefixes();
  for (let i = 0; i < 200; i++) {
    const b = 200 + Math.floor(Math.random() * 55);
    const c = Math.floor(Math.random() * 256);
    const cand = { addr: ipToInt(`10.${b}.${c}.0`), len: 24 };
    if (!used.some((u) => overlaps(u, cand))) return `10.${b}.${c}`;
  }
  throw new Error('no free /24 in 10.200.0.0-10.254.255.0 (every candidate overlaps a route or address here)');
}

// ---- cleanup at exit ------------------------------------------------------------

const liveNets = new Set();
process.once('exit', () => {
  for (const n of liveNets) n.cleanupSync();
});

// A detached shell that, once `parent` is gone, runs the cleanup file and
// removes its directory.
function startNetWatchdog(cleanupFile, dir) {
  const script = `
    parent=$1; file=$2; dir=$3
    while kill -0 "$parent" 2>/dev/null; do sleep 0.5; done
    [ -f "$file" ] && sh "$file" >/dev/null 2>&1
    rm -rf "$dir"`;
  const w = spawn('bash', ['-c', script, 'braid-e2e-net-watchdog', String(process.pid), cleanupFile, dir],
                  { detached: true, stdio: 'ignore' });
  w.unref();
  return w;
}

// ---- the test net ---------------------------------------------------------------

export class TestNet {
  constructor({ id, prefix, hosts, nsPrefix, cleanupFile, ownDir }) {
    this.id = id;
    this.bridge = `brb${id}`; // <= 15 chars
    this.prefix24 = prefix; // '10.x.y'
    this.subnet = `${prefix}.0/24`;
    this.bridgeIp = `${prefix}.1`;
    this.prefixLen = 24;
    this.hosts = [];
    for (let i = 0; i < hosts; i++) {
      this.hosts.push({
        index: i,
        name: `${nsPrefix}-${id}-h${i}`, // the netns name
        ip: `${prefix}.${10 + i}`,
        veth: `vb${id}h${i}`, // root-namespace end, a port of the bridge
        peer: `vn${id}h${i}`, // the end inside the netns
      });
    }
    this.cleanupFile = cleanupFile;
    this.ownDir = ownDir; // set when this net runs its own watchdog
    this.watchdog = null;
    this.cleanedUp = false;
    this.made = []; // argv that removes each thing made, in order of making
  }

  // argv prefix that runs a command inside host i's namespace. `ip netns
  // exec` execs the command (no fork), so a spawned child's pid is the
  // command's own.
  exec(i) {
    return [IP, 'netns', 'exec', this._host(i).name];
  }

  // ---- bandwidth limits (tbf) --------------------------------------------------
  //
  // The kernels here have no netem, but tbf (a token bucket) works. Each host
  // has one link, its veth pair, so a qdisc on one end of it shapes all of
  // that host's traffic in one direction:
  //   direction 'out': what host i sends (to the root namespace and the other
  //                    hosts): the root qdisc of h.peer, inside the netns;
  //   direction 'in':  what host i receives: the root qdisc of h.veth, the
  //                    bridge port in the root namespace.
  // E.g. a media daemon on host 0 and a browser in the root namespace: the
  // browser's downlink from that daemon is host 0's 'out'. Whatever else
  // host i sends that way (RTCP, Redis traffic) shares the limit.

  // {ns, dev} of the interface whose egress is host i's `direction`.
  tbfDevice(i, direction = 'out') {
    const h = this._host(i);
    if (direction === 'out') return { ns: h.name, dev: h.peer };
    if (direction === 'in') return { ns: null, dev: h.veth };
    throw new Error(`tbf direction must be 'out' or 'in', got ${direction}`);
  }

  // Limits host i's traffic in `direction` to `rate` (bits/s as a number, or
  // a tc rate string such as '300kbit'), replacing any limit there. burst
  // (bytes) defaults to 50 ms at that rate, at least 4 KiB; latency (how long
  // a packet may wait for tokens before it is dropped) to '50ms'.
  setTbf(i, { direction = 'out', rate, burst, latency = '50ms' } = {}) {
    return tbf({ ...this.tbfDevice(i, direction), rate, burst, latency });
  }

  // Removes the limit setTbf() put there (no limit there is fine).
  clearTbf(i, { direction = 'out' } = {}) {
    return tbfClear(this.tbfDevice(i, direction));
  }

  // `tc -s qdisc show` of that interface (sent/dropped/overlimits counters).
  tbfStats(i, { direction = 'out' } = {}) {
    const { ns, dev } = this.tbfDevice(i, direction);
    return run([TC, ...(ns ? ['-n', ns] : []), '-s', 'qdisc', 'show', 'dev', dev]);
  }

  // Runs argv inside host i's namespace; resolves with its stdout.
  run(i, argv, opts) {
    return run([...this.exec(i), ...argv], opts);
  }

  // `ip -n <host i's netns> ...args`; resolves with its stdout.
  ipIn(i, args, opts) {
    return run([IP, '-n', this._host(i).name, ...args], opts);
  }

  // The host (entry of this.hosts) with that address, or undefined.
  hostOf(ip) {
    return this.hosts.find((h) => h.ip === ip);
  }

  _host(i) {
    const h = this.hosts[i];
    if (!h) throw new Error(`test net ${this.bridge} has no host ${i} (it has ${this.hosts.length})`);
    return h;
  }

  // Notes that the thing `argv` removes now exists (only what this net made
  // is ever removed).
  _record(argv) {
    this.made.push(argv);
    fs.appendFileSync(this.cleanupFile, `${argv.join(' ')} 2>/dev/null\n`);
  }

  // What of this net still exists: ['netns <name>', 'link <name>', ...].
  async leftovers() {
    const ns = (await run([IP, 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0]);
    const links = (await run([IP, '-o', 'link', 'show'])).split('\n')
      .map((l) => l.match(/^\d+:\s+([^:@\s]+)/)?.[1]).filter(Boolean);
    const out = [];
    for (const h of this.hosts) if (ns.includes(h.name)) out.push(`netns ${h.name}`);
    for (const l of [this.bridge, ...this.hosts.map((h) => h.veth)]) if (links.includes(l)) out.push(`link ${l}`);
    return out;
  }

  _cleanupCommands() {
    // Newest first: each host's veth (deleting one end deletes both) and
    // namespace, then the bridge. Each may already be gone.
    return [...this.made].reverse();
  }

  _done() {
    this.cleanedUp = true;
    liveNets.delete(this);
    if (this.watchdog) {
      try {
        this.watchdog.kill('SIGKILL');
      } catch {}
    }
    if (this.ownDir) fs.rmSync(this.ownDir, { recursive: true, force: true });
  }

  // Removes the namespaces, veths and bridge. Resolves with what is still
  // there afterwards (an empty array when all is gone). Processes still
  // running inside a namespace keep it alive (unnamed) until they exit, but
  // its interfaces go with the veth pairs.
  async cleanup() {
    if (!this.cleanedUp) {
      for (const argv of this._cleanupCommands()) await run(argv).catch(() => {});
      this._done();
    }
    return this.leftovers();
  }

  cleanupSync() {
    if (this.cleanedUp) return;
    for (const argv of this._cleanupCommands()) {
      try {
        spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 5000 });
      } catch {}
    }
    this._done();
  }

  // Sends UDP between the root namespace (from bridgeIp) and every host, and
  // between every pair of hosts. Throws, naming what failed, if any of it does
  // not get through within timeoutMs.
  async checkConnectivity({ timeoutMs = 5000 } = {}) {
    const PORT = 9;
    const echo = `
      const dgram = require('node:dgram');
      const [me, ...others] = process.argv.slice(1);
      const s = dgram.createSocket('udp4');
      const got = new Set();
      s.on('message', (m, r) => {
        const t = m.toString();
        if (t === 'ping') s.send('pong', r.port, r.address);
        else if (t === 'pong' && !got.has(r.address)) {
          got.add(r.address);
          if (got.size === others.length) console.log('peers-ok');
        }
      });
      s.bind(${PORT}, me, () => {
        console.log('ready');
        if (!others.length) console.log('peers-ok');
        const t = setInterval(() => { for (const o of others) if (!got.has(o)) s.send('ping', ${PORT}, o); }, 100);
        t.unref();
      });
      process.stdin.on('end', () => process.exit(0));
      process.stdin.resume();`;
    const children = this.hosts.map((h) => {
      const others = this.hosts.filter((o) => o !== h).map((o) => o.ip);
      const [cmd, ...pre] = this.exec(h.index);
      const child = spawn(cmd, [...pre, process.execPath, '-e', echo, h.ip, ...others],
                          { stdio: ['pipe', 'pipe', 'pipe'] });
      const st = { host: h, child, out: '', err: '', peersOk: false };
      child.stdout.on('data', (d) => {
        st.out += d;
        if (st.out.includes('peers-ok')) st.peersOk = true;
      });
      child.stderr.on('data', (d) => { st.err += d; });
      return st;
    });
    const dgram = await import('node:dgram');
    const s = dgram.createSocket('udp4');
    const fromRoot = new Set();
    s.on('message', (m, r) => { if (m.toString() === 'pong') fromRoot.add(r.address); });
    try {
      await new Promise((resolve, reject) => {
        s.once('error', reject);
        s.bind(0, this.bridgeIp, resolve);
      });
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const allOk = children.every((c) => c.peersOk) && this.hosts.every((h) => fromRoot.has(h.ip));
        if (allOk) return;
        const dead = children.find((c) => c.child.exitCode !== null);
        if (Date.now() > deadline || dead) {
          const lines = [];
          for (const h of this.hosts) {
            if (!fromRoot.has(h.ip)) lines.push(`root ${this.bridgeIp} -> ${h.name} ${h.ip}: no answer`);
          }
          for (const c of children) {
            if (!c.peersOk) lines.push(`${c.host.name} ${c.host.ip} -> other hosts: not all answered ` +
                                       `(output: ${c.out.trim() || '-'}; stderr: ${c.err.trim() || '-'})`);
          }
          let nf = '';
          try {
            nf = fs.readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim();
          } catch {}
          throw new Error(`test net ${this.bridge} (${this.subnet}) does not pass UDP between its hosts:\n  ` +
                          `${lines.join('\n  ')}\n` +
                          (nf === '1' ? 'net.bridge.bridge-nf-call-iptables is 1 here: bridged frames go through ' +
                                        'iptables/nftables FORWARD; a DROP policy or rule there would explain it.\n'
                            : '') + 'Check the firewall of this machine.');
        }
        for (const h of this.hosts) if (!fromRoot.has(h.ip)) s.send('ping', PORT, h.ip);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      s.close();
      for (const c of children) {
        c.child.stdin.end();
        setTimeout(() => { try { c.child.kill('SIGKILL'); } catch {} }, 2000).unref();
      }
      await Promise.all(children.map((c) => (c.child.exitCode !== null || c.child.signalCode !== null)
        ? null : new Promise((r) => c.child.once('exit', r))));
    }
  }
}

// A tc rate: numbers are bits/s.
function tcRate(rate) {
  if (typeof rate === 'number' && Number.isFinite(rate) && rate > 0) return `${Math.round(rate)}bit`;
  if (typeof rate === 'string' && /^\d+(\.\d+)?([kmg]?(bit|bps))$/i.test(rate)) return rate;
  throw new Error(`tbf: rate must be bits/s (a number) or a tc rate like '300kbit', got ${rate}`);
}

function rateBps(tcrate) {
  const m = tcrate.match(/^(\d+(?:\.\d+)?)([kmg]?)(bit|bps)$/i);
  const mult = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase()];
  return Number(m[1]) * mult * (m[3].toLowerCase() === 'bps' ? 8 : 1);
}

// Puts a tbf qdisc at the root of `dev` (in network namespace `ns`, or the
// root namespace when ns is null), replacing what is there:
// `tc [-n ns] qdisc replace dev DEV root tbf rate R burst B latency L`.
// Fails loudly when tc or tbf is missing.
export async function tbf({ ns = null, dev, rate, burst, latency = '50ms' }) {
  const r = tcRate(rate);
  const b = burst ?? Math.max(4096, Math.ceil(rateBps(r) / 8 * 0.05));
  const argv = [TC, ...(ns ? ['-n', ns] : []), 'qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', r,
                'burst', String(b), 'latency', String(latency)];
  try {
    await run(argv);
  } catch (err) {
    if (/ENOENT|not found/.test(err.message)) err.message += ' (tc is in iproute2: apt-get install iproute2)';
    throw err;
  }
}

// Removes the root qdisc of `dev` (back to the default); nothing there is fine.
export async function tbfClear({ ns = null, dev }) {
  try {
    await run([TC, ...(ns ? ['-n', ns] : []), 'qdisc', 'del', 'dev', dev, 'root']);
  } catch (err) {
    // Deleting the default qdisc answers an error: there was no limit.
    if (!/No such file|Cannot delete qdisc with handle of zero|Invalid handle/i.test(err.message)) throw err;
  }
}

function writeSysctls(dev, values) {
  for (const [k, v] of Object.entries(values)) {
    fs.writeFileSync(`/proc/sys/net/${k.replace('%', dev)}`, String(v));
  }
}

// Creates the test net (see the top of this file). Options:
//   hosts        number of hosts (namespaces), 1..50
//   tag          text for the namespaces' names (a test name; sanitized)
//   cleanupFile  file to append the removal commands to (for a watchdog that
//                runs `sh cleanupFile`); without it, a watchdog of its own
//   verify       check UDP between root and every host and between hosts
//                (default true)
// Rejects with a clear message when not root; on any failure removes what it
// made before rejecting.
export async function createTestNet({ hosts = 3, tag = 'braid', cleanupFile, verify = true } = {}) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`a multi-host test needs root to create network namespaces and a bridge (uid is ` +
                    `${process.getuid()}): run it as root (CI does), e.g. sudo -E node --test ...`);
  }
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > MAX_HOSTS) {
    throw new Error(`createTestNet: hosts must be an integer in 1..${MAX_HOSTS}, got ${hosts}`);
  }
  const nsPrefix = `braid-${String(tag).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40)}`;
  let ownDir;
  if (!cleanupFile) {
    ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'braid-testnet-'));
    cleanupFile = path.join(ownDir, 'net-cleanup.sh');
  }

  const watchdog = ownDir ? startNetWatchdog(cleanupFile, ownDir) : null;
  const giveUp = () => {
    if (watchdog) {
      try {
        watchdog.kill('SIGKILL');
      } catch {}
    }
    if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
  };

  for (let attempt = 0; ; attempt++) {
    let net;
    try {
      const existingNs = (await run([IP, 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0]);
      net = new TestNet({ id: shortId(), prefix: await pickSubnet(), hosts, nsPrefix, cleanupFile, ownDir });
      if (fs.existsSync(`/sys/class/net/${net.bridge}`) ||
          net.hosts.some((h) => existingNs.includes(h.name) || fs.existsSync(`/sys/class/net/${h.veth}`))) {
        if (attempt < 5) continue; // name taken (vanishingly rare): new id
        throw new Error(`createTestNet: names like ${net.bridge} / ${net.hosts[0].name} keep being taken`);
      }
    } catch (err) {
      giveUp();
      throw err;
    }
    net.watchdog = watchdog;
    liveNets.add(net);
    try {
      await build(net);
    } catch (err) {
      // Undo; retry only if another process took the same subnet meanwhile.
      for (const argv of net._cleanupCommands()) await run(argv).catch(() => {});
      net.cleanedUp = true;
      liveNets.delete(net);
      if (err.subnetRace && attempt < 5) continue;
      giveUp();
      throw err;
    }
    if (verify) {
      try {
        await net.checkConnectivity();
      } catch (err) {
        await net.cleanup();
        throw err;
      }
    }
    return net;
  }
}

async function build(net) {
  const { bridge, bridgeIp } = net;
  // The bridge: no STP (ports forward at once), no iptables calls of its own
  // (the global br_netfilter sysctls still apply: checkConnectivity tests the
  // result), IPv4 forwarding off so nothing arriving from the test net is
  // routed beyond it, no IPv6.
  await run([IP, 'link', 'add', bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0',
             'nf_call_iptables', '0', 'nf_call_ip6tables', '0', 'nf_call_arptables', '0']);
  net._record([IP, 'link', 'del', bridge]);
  writeSysctls(bridge, { 'ipv6/conf/%/disable_ipv6': 1, 'ipv4/conf/%/forwarding': 0, 'ipv4/conf/%/rp_filter': 0,
                         'ipv4/conf/%/accept_redirects': 0, 'ipv4/conf/%/send_redirects': 0 });
  await run([IP, 'addr', 'add', `${bridgeIp}/24`, 'dev', bridge]);
  await run([IP, 'link', 'set', bridge, 'up']);
  // Someone else on this machine picked the same /24 in the meantime?
  const mine = parsePrefix(`${net.subnet}`);
  for (const line of (await run([IP, '-4', '-o', 'addr', 'show'])).split('\n')) {
    const m = line.match(/^\d+:\s+(\S+)\s+inet (\d+\.\d+\.\d+\.\d+\/\d+)/);
    if (m && m[1] !== bridge && overlaps(parsePrefix(m[2]), mine)) {
      throw Object.assign(new Error(`subnet ${net.subnet} taken by ${m[1]} meanwhile`), { subnetRace: true });
    }
  }

  for (const h of net.hosts) {
    await run([IP, 'netns', 'add', h.name]);
    net._record([IP, 'netns', 'del', h.name]);
    // Inside the namespace (its own sysctls, gone with it): no reverse-path
    // filter, no IPv6, no forwarding.
    await net.run(h.index, ['sh', '-c',
      'for f in all default lo; do echo 0 > /proc/sys/net/ipv4/conf/$f/rp_filter; ' +
      'echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6 2>/dev/null; done; ' +
      'echo 0 > /proc/sys/net/ipv4/ip_forward']);
    await run([IP, 'link', 'add', h.veth, 'type', 'veth', 'peer', 'name', h.peer, 'netns', h.name]);
    net._record([IP, 'link', 'del', h.veth]);
    writeSysctls(h.veth, { 'ipv6/conf/%/disable_ipv6': 1 });
    await run([IP, 'link', 'set', h.veth, 'master', bridge]);
    await run([IP, 'link', 'set', h.veth, 'up']);
    await net.ipIn(h.index, ['link', 'set', 'lo', 'up']);
    await net.ipIn(h.index, ['addr', 'add', `${h.ip}/24`, 'dev', h.peer]);
    await net.ipIn(h.index, ['link', 'set', h.peer, 'up']);
    await net.ipIn(h.index, ['route', 'add', 'default', 'via', bridgeIp, 'dev', h.peer]);
  }
}
