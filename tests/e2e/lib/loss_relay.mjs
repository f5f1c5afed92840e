// A lossy UDP relay for media-quality tests. The kernels here have no netem
// qdisc (field-notes.md), so a test that wants packet loss puts this relay
// between the browsers and a media daemon:
//
//   browser ──udp──> relay listen addr:port ──(per-client socket)──> daemon ip:port
//           <──────                         <──────────────────────
//
// The daemon runs with --announced-ip set to the relay's address, and the
// relay listens on the daemon's own UDP port number, so the ICE candidates
// the daemon announces point at the relay. Each client tuple (address:port
// of a datagram that reached the listening socket) gets an upstream socket
// of its own, so the daemon sees one distinct tuple per client and answers
// to it; what the daemon sends there goes back to that client from the
// listening socket. The relay understands nothing of what it carries
// (STUN, DTLS, SRTP, SRTCP all pass alike).
//
// Loss: each datagram is dropped with a probability chosen per direction
// ("up": client -> daemon, "down": daemon -> client), independently, from a
// seeded PRNG per direction (the same seed gives the same drop pattern for
// the same datagram sequence). Rules may give some clients other rates
// (matched by client address or address:port), so a test can drop only the
// publisher's uplink and only the subscriber's downlink; or one rate both
// ways for everyone, which makes a publisher's uplink and a subscriber's
// downlink each lose that fraction.
//
// Counters: forwarded and dropped datagrams and bytes per direction, in all
// and per client.
//
// Two ways to use it:
//   - in this process: new LossRelay(opts); await relay.start(); ... relay.stats()
//   - inside a network namespace (a "host" of netns.mjs): startRelayInNetns(),
//     which runs this file as a program there (`ip netns exec`) and talks to
//     it over stdin/stdout (one JSON object a line).
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Client tuples remembered at most (each holds one upstream socket).
export const MAX_CLIENTS = 256;
// An upstream socket unused this long is closed (the client is forgotten).
const IDLE_MS = 60000;
// Socket buffers: a burst of video (a key frame is ~50 datagrams) must not
// overflow them while this process is busy, or the relay would lose more
// than it is told to (the kernel caps it at net.core.[rw]mem_max).
const SOCK_BUF = 1 << 21;

// mulberry32: a small, fast, seeded PRNG with a 2^32 period; plenty for
// deciding drops. Returns a function giving floats in [0, 1).
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRate(x, what) {
  if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw new Error(`${what} must be a number in [0, 1], got ${x}`);
  return x;
}

// {up, down} from a number (both ways) or an object (missing keys: 0).
function normLoss(loss, what = 'loss') {
  if (typeof loss === 'number') return { up: checkRate(loss, what), down: checkRate(loss, what) };
  return { up: checkRate(loss?.up ?? 0, `${what}.up`), down: checkRate(loss?.down ?? 0, `${what}.down`) };
}

const newCounters = () => ({ forwarded: 0, dropped: 0, bytesForwarded: 0, bytesDropped: 0 });

// RcvbufErrors and SndbufErrors of the Udp line of /proc/net/snmp (of the
// caller's network namespace), or null when unreadable.
export function udpErrors() {
  try {
    const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp: '));
    const keys = lines[0].split(/\s+/).slice(1);
    const vals = lines[1].split(/\s+/).slice(1).map(Number);
    const get = (k) => vals[keys.indexOf(k)] ?? null;
    return { rcvbufErrors: get('RcvbufErrors'), sndbufErrors: get('SndbufErrors') };
  } catch {
    return null;
  }
}

export class LossRelay {
  // listen:   {address, port}   where clients send (port 0: any)
  // upstream: {address, port}   the media daemon's UDP address
  // loss:     a fraction for both directions, or {up, down} (default 0)
  // rules:    [{client: 'ip' | 'ip:port', up?, down?}], first match wins; a
  //           client no rule matches gets `loss`
  // seed:     PRNG seed (default 1); direction "down" uses seed ^ 0x9e3779b9
  constructor({ listen, upstream, loss = 0, rules = [], seed = 1 }) {
    if (!listen?.address || !upstream?.address || !Number.isInteger(upstream.port)) {
      throw new Error('LossRelay: listen {address, port} and upstream {address, port} are required');
    }
    this.listenOpt = { address: listen.address, port: listen.port ?? 0 };
    this.upstream = { address: upstream.address, port: upstream.port };
    this.seed = seed >>> 0;
    this.rand = { up: prng(this.seed), down: prng(this.seed ^ 0x9e3779b9) };
    this.setLoss(loss, rules);
    this.clients = new Map(); // 'ip:port' -> {key, address, port, sock, lastMs, up, down}
    this.totals = { up: newCounters(), down: newCounters() };
    this.refused = 0; // datagrams from new clients past MAX_CLIENTS
    this.sock = null;
    this.closed = false;
  }

  // Sets the default loss and the per-client rules (applies at once, also to
  // known clients).
  setLoss(loss, rules = []) {
    this.loss = normLoss(loss);
    this.rules = rules.map((r, i) => {
      if (typeof r.client !== 'string' || !r.client) throw new Error(`rules[${i}].client must be 'ip' or 'ip:port'`);
      return { client: r.client, ...normLoss({ up: r.up ?? 0, down: r.down ?? 0 }, `rules[${i}]`) };
    });
  }

  lossFor(address, port) {
    const key = `${address}:${port}`;
    const r = this.rules.find((x) => x.client === key || x.client === address);
    return r ?? this.loss;
  }

  async start() {
    this.sock = dgram.createSocket({ type: 'udp4', recvBufferSize: SOCK_BUF, sendBufferSize: SOCK_BUF });
    this.sock.on('message', (msg, rinfo) => this._fromClient(msg, rinfo));
    this.sock.on('error', () => {}); // ICMP errors to vanished clients: ignore
    await new Promise((resolve, reject) => {
      this.sock.once('error', reject);
      this.sock.bind(this.listenOpt.port, this.listenOpt.address, () => {
        this.sock.off('error', reject);
        resolve();
      });
    });
    const a = this.sock.address();
    this.listen = { address: a.address, port: a.port };
    this.sweeper = setInterval(() => this._sweep(), 5000);
    this.sweeper.unref();
    return this.listen;
  }

  _drop(dir, loss) {
    // Draw for every datagram, so a direction's pattern depends only on the
    // datagrams of that direction, whatever the rates.
    const x = this.rand[dir]();
    return x < loss[dir];
  }

  _count(dir, client, len, dropped) {
    for (const c of [this.totals[dir], client[dir]]) {
      if (dropped) {
        c.dropped++;
        c.bytesDropped += len;
      } else {
        c.forwarded++;
        c.bytesForwarded += len;
      }
    }
  }

  _fromClient(msg, rinfo) {
    if (this.closed) return;
    const key = `${rinfo.address}:${rinfo.port}`;
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) {
        this.refused++;
        return;
      }
      client = this._newClient(key, rinfo);
    }
    client.lastMs = Date.now();
    const dropped = this._drop('up', this.lossFor(client.address, client.port));
    this._count('up', client, msg.length, dropped);
    if (!dropped) client.sock.send(msg, this.upstream.port, this.upstream.address);
  }

  _newClient(key, rinfo) {
    const client = { key, address: rinfo.address, port: rinfo.port, lastMs: Date.now(), up: newCounters(),
                     down: newCounters(),
                     sock: dgram.createSocket({ type: 'udp4', recvBufferSize: SOCK_BUF, sendBufferSize: SOCK_BUF }) };
    client.sock.on('error', () => {});
    client.sock.on('message', (msg, from) => {
      if (this.closed || from.port !== this.upstream.port || from.address !== this.upstream.address) return;
      client.lastMs = Date.now();
      const dropped = this._drop('down', this.lossFor(client.address, client.port));
      this._count('down', client, msg.length, dropped);
      if (!dropped) this.sock.send(msg, client.port, client.address);
    });
    // Bound implicitly by the first send (any address, an ephemeral port);
    // datagrams sent before the bind completes are queued by node.
    this.clients.set(key, client);
    return client;
  }

  _sweep() {
    const now = Date.now();
    for (const [key, c] of this.clients) {
      if (now - c.lastMs > IDLE_MS) {
        try {
          c.sock.close();
        } catch {}
        this.clients.delete(key);
      }
    }
  }

  // {listen, upstream, seed, loss, rules, up, down, refused, udp, clients:
  // [{client, upstreamPort, loss, up, down}]}; udp: this network namespace's
  // UDP receive-buffer and send-buffer error counters (/proc/net/snmp), i.e.
  // datagrams lost beside the ones the relay chose to drop.
  stats() {
    const clients = [...this.clients.values()].map((c) => {
      let upstreamPort = null;
      try {
        upstreamPort = c.sock.address().port;
      } catch {}
      return { client: c.key, upstreamPort, loss: this.lossFor(c.address, c.port), up: { ...c.up },
               down: { ...c.down } };
    });
    return { listen: this.listen, upstream: this.upstream, seed: this.seed, loss: this.loss, rules: this.rules,
             up: { ...this.totals.up }, down: { ...this.totals.down }, refused: this.refused, udp: udpErrors(),
             clients };
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    for (const c of this.clients.values()) {
      try {
        c.sock.close();
      } catch {}
    }
    try {
      this.sock?.close();
    } catch {}
  }
}

// ---- the relay in a network namespace --------------------------------------------

const SELF = fileURLToPath(import.meta.url);

// Runs a LossRelay inside host `hostIndex` of a test net (netns.mjs) as a
// child process (`ip netns exec <ns> node loss_relay.mjs '<json opts>'`).
// opts: as LossRelay's constructor (listen.address defaults to the host's
// address). adopt(pid), if given, is called with the child's pid (e.g.
// cluster.adopt, so the e2e watchdog kills it if the test dies). Resolves,
// once it listens, with {pid, listen, stats(), setLoss(loss, rules), stop()}.
export async function startRelayInNetns(net, hostIndex, opts, { adopt } = {}) {
  const h = net.hosts[hostIndex];
  if (!h) throw new Error(`startRelayInNetns: the test net has no host ${hostIndex}`);
  const cfg = { ...opts, listen: { address: h.ip, ...(opts.listen ?? {}) } };
  const [cmd, ...pre] = net.exec(hostIndex);
  const child = spawn(cmd, [...pre, process.execPath, SELF, JSON.stringify(cfg)],
                      { stdio: ['pipe', 'pipe', 'pipe'] });
  if (adopt && child.pid) adopt(child.pid);
  let out = '';
  let err = '';
  const waiting = []; // resolvers of replies, in order
  let exited = null;
  child.stderr.on('data', (d) => { err += d; });
  child.stdout.on('data', (d) => {
    out += d;
    let i;
    while ((i = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, i);
      out = out.slice(i + 1);
      let m;
      try {
        m = JSON.parse(line);
      } catch {
        continue;
      }
      waiting.shift()?.(m);
    }
  });
  const exitP = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = { code, signal };
    for (const w of waiting.splice(0)) w({ error: `relay exited (code ${code}, signal ${signal}): ${err.trim()}` });
    resolve(exited);
  }));
  const ask = (m) => new Promise((resolve, reject) => {
    if (exited) return reject(new Error(`loss relay in ${h.name} has exited (${JSON.stringify(exited)}): ${err.trim()}`));
    waiting.push((r) => (r.error ? reject(new Error(`loss relay in ${h.name}: ${r.error}`)) : resolve(r)));
    child.stdin.write(`${JSON.stringify(m)}\n`);
  });
  // The first line is the start-up answer.
  const ready = await new Promise((resolve, reject) => {
    waiting.push((r) => (r.error ? reject(new Error(`loss relay in ${h.name} did not start: ${r.error}`)) : resolve(r)));
    const t = setTimeout(() => reject(new Error(`loss relay in ${h.name}: no start-up line within 10 s: ${err.trim()}`)),
                         10000);
    t.unref();
  }).catch((e) => {
    try {
      child.kill('SIGKILL');
    } catch {}
    throw e;
  });
  return {
    pid: child.pid,
    host: h,
    listen: ready.listen,
    stats: () => ask({ cmd: 'stats' }).then((r) => r.stats),
    setLoss: (loss, rules = []) => ask({ cmd: 'loss', loss, rules }).then((r) => r.stats),
    log: () => err,
    async stop() {
      if (!exited) {
        child.stdin.end();
        const t = setTimeout(() => { try { child.kill('SIGKILL'); } catch {} }, 3000);
        t.unref();
      }
      return exitP;
    },
  };
}

// The program: argv[2] is the JSON of LossRelay's options. Prints
// {"listen": ...} once bound; then answers each stdin line {"cmd": "stats"}
// or {"cmd": "loss", "loss": ..., "rules": [...]} with one line
// {"stats": ...} (or {"error": "..."}); exits when stdin ends.
async function main() {
  let relay;
  try {
    relay = new LossRelay(JSON.parse(process.argv[2] ?? '{}'));
    await relay.start();
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ error: e.message })}\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({ listen: relay.listen })}\n`);
  let buf = '';
  process.stdin.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let reply;
      try {
        const m = JSON.parse(line);
        if (m.cmd === 'loss') relay.setLoss(m.loss, m.rules ?? []);
        else if (m.cmd !== 'stats') throw new Error(`unknown command ${JSON.stringify(m.cmd)}`);
        reply = { stats: relay.stats() };
      } catch (e) {
        reply = { error: e.message };
      }
      process.stdout.write(`${JSON.stringify(reply)}\n`);
    }
  });
  process.stdin.on('end', () => {
    relay.close();
    process.exit(0);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) main();
