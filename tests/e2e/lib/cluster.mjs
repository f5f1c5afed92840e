// End-to-end harness: starts a private redis-server, N braid-controllers and
// M braid-mediads from the build tree on free 127.0.0.1 ports, waits for each
// to be ready, captures their logs, and stops everything at the end (also when
// a test fails or times out; a watchdog kills the children if this node
// process dies without cleaning up).
//
// Binaries: $BRAID_BUILD_DIR/{controller/braid-controller, mediad/braid-mediad,
// tools/braidctl}. BRAID_BUILD_DIR is set by tests/e2e/CMakeLists.txt.
//
// Multi-host (needs root): startCluster(name, { net: { hosts: 3 }, mediads: 3 })
// first makes a private test network (netns.mjs: a bridge and one network
// namespace per host), binds redis to 127.0.0.1 and the bridge's address, and
// runs media daemon i inside host i % hosts with that host's address as --ip
// and --announced-ip. Controllers, redis and browsers stay in the root
// namespace; the net is removed by stop() (or by the watchdog).
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

import { createTestNet } from './netns.mjs';
import { RedisClient } from './redis.mjs';

export const HOST = '127.0.0.1';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// Timeouts (ms). Sanitizer builds start slower than release builds.
const READY_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 8000;

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function randomId(n = 8) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[b[i] % alphabet.length];
  return s;
}

// Polls fn() until it returns a truthy value; returns that value. Throws with
// `what` and the last value/error after timeoutMs. An error thrown by fn()
// with `fatal: true` is rethrown at once. `detail` (optional, may be async)
// adds a description of the state to the timeout message.
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 50, what = 'condition', detail: describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      if (err?.fatal === true) throw err;
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      let extra = '';
      if (describe) {
        try {
          extra = `; state: ${await describe()}`;
        } catch (err) {
          extra = `; state unavailable: ${err.message}`;
        }
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})${extra}`);
    }
    await sleep(intervalMs);
  }
}

export function buildDir() {
  const dir = process.env.BRAID_BUILD_DIR;
  if (!dir) {
    throw new Error('BRAID_BUILD_DIR is not set: run the e2e tests through ctest in a build ' +
                    'directory (tools/braid-dev test), or set it to a cmake build directory');
  }
  return path.resolve(dir);
}

export function binaryPath(name) {
  const rel = {
    'braid-controller': 'controller/braid-controller',
    'braid-mediad': 'mediad/braid-mediad',
    braidctl: 'tools/braidctl',
  }[name];
  if (!rel) throw new Error(`unknown binary ${name}`);
  const p = path.join(buildDir(), rel);
  try {
    fs.accessSync(p, fs.constants.X_OK);
  } catch {
    throw new Error(`${name} not found or not executable at ${p} (is the build complete?)`);
  }
  return p;
}

// ---- ports ------------------------------------------------------------------

const handedOut = new Set();

function tcpFree(port, host = HOST) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

function udpFree(port, host = HOST) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind({ port, address: host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

function tcpEphemeral(host = HOST) {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A loopback port free for TCP (and UDP too when udp is true), never handed
// out twice by this process.
export async function freePort({ udp = false } = {}) {
  for (let i = 0; i < 200; i++) {
    const port = await tcpEphemeral();
    if (handedOut.has(port)) continue;
    if (udp && !(await udpFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('could not find a free loopback port');
}

// A block of `size` consecutive ports free for both TCP and UDP, outside the
// kernel's ephemeral range where possible.
export async function freePortRange(size = 50) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20000 + Math.floor(Math.random() * (32000 - 20000 - size));
    let ok = true;
    for (let p = base; p < base + size && ok; p++) {
      if (handedOut.has(p) || !(await udpFree(p)) || !(await tcpFree(p))) ok = false;
    }
    if (!ok) continue;
    for (let p = base; p < base + size; p++) handedOut.add(p);
    return [base, base + size - 1];
  }
  throw new Error(`could not find ${size} free consecutive loopback ports`);
}

// ---- HTTP -----------------------------------------------------------------

export function httpGet(url, { timeoutMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
                                    body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

// ---- processes ----------------------------------------------------------------

const SANITIZER_RE = /ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|runtime error:|SUMMARY: \w+Sanitizer/;

// Start time of a process (clock ticks since boot, /proc/<pid>/stat field 22):
// with the pid, it names one process even if the pid is later reused.
function procStartTime(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return 'unknown';
  }
}

// Environment for children: ours minus any BRAID_* that could change what the
// flags say, plus a tag naming the test run (handy with ps/grep).
function childEnv(tag, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('BRAID_')) env[k] = v;
  }
  env.BRAID_E2E_TAG = tag;
  if (!env.UBSAN_OPTIONS) env.UBSAN_OPTIONS = 'print_stacktrace=1:halt_on_error=1';
  return { ...env, ...extra };
}

export { procStartTime };

export class Proc {
  constructor(cluster, name, cmd, args, { env = {} } = {}) {
    this.cluster = cluster;
    this.name = name;
    this.cmd = cmd;
    this.args = args;
    this.lines = [];
    this.listeners = new Set();
    this.exitCode = undefined;
    this.exitSignal = undefined;
    this.expectedExit = false;
    this.logPath = path.join(cluster.dir, 'logs', `${name}.log`);
    this.logStream = fs.createWriteStream(this.logPath);
    this.child = spawn(cmd, args, {
      env: childEnv(cluster.tag, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.child.pid;
    this.spawnError = undefined;
    if (this.pid) fs.appendFileSync(cluster.pidFile, `${this.pid} ${procStartTime(this.pid)}\n`);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.spawnError = err;
        this._line('harness', `spawn failed: ${err.message}`);
        this.exitCode = null;
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        this._line('harness', `exited code=${code} signal=${signal}`);
        // Resolve once its output is fully read ('close'), or 2 s later if
        // something else still holds the pipes.
        const t = setTimeout(resolve, 2000);
        this.child.once('close', () => {
          clearTimeout(t);
          setImmediate(resolve);
        });
      });
    });
    for (const [stream, label] of [[this.child.stdout, 'out'], [this.child.stderr, 'err']]) {
      readline.createInterface({ input: stream }).on('line', (l) => this._line(label, l));
    }
  }

  _line(label, text) {
    const line = `${new Date().toISOString().slice(11, 23)} ${this.name} ${label}| ${text}`;
    this.lines.push(line);
    this.logStream.write(line + '\n');
    for (const l of this.listeners) l(text);
  }

  get alive() {
    return this.exitCode === undefined && !this.spawnError;
  }

  log() {
    return this.lines.join('\n');
  }

  // Resolves with the regex match of the first line (past or future) matching re.
  waitForLine(re, timeoutMs = READY_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      for (const l of this.lines) {
        const text = l.replace(/^.*?\| /, '');
        const m = text.match(re);
        if (m) return resolve(m);
      }
      let timer;
      const done = (fn, v) => {
        clearTimeout(timer);
        this.listeners.delete(onLine);
        fn(v);
      };
      const onLine = (text) => {
        const m = text.match(re);
        if (m) done(resolve, m);
      };
      this.listeners.add(onLine);
      timer = setTimeout(() => done(reject, new Error(
        `${this.name}: no line matching ${re} within ${timeoutMs} ms\n${this.log()}`)), timeoutMs);
      this.exited.then(() => {
        if (this.listeners.has(onLine)) {
          done(reject, new Error(`${this.name} exited before printing ${re} ` +
                                 `(code=${this.exitCode} signal=${this.exitSignal})\n${this.log()}`));
        }
      });
    });
  }

  signal(sig) {
    if (this.alive) this.child.kill(sig);
  }

  // SIGKILL, as a crash would be; the exit is expected.
  async crash() {
    this.expectedExit = true;
    this.signal('SIGKILL');
    await this.exited;
  }

  // SIGTERM, then SIGKILL after timeoutMs. Resolves with {code, signal, killed}.
  async stop(timeoutMs = STOP_TIMEOUT_MS) {
    this.expectedExit = true;
    if (!this.alive) {
      await this.exited;
      return { code: this.exitCode, signal: this.exitSignal, killed: false };
    }
    this.signal('SIGTERM');
    let killed = false;
    const t = setTimeout(() => {
      killed = true;
      this._line('harness', `no exit ${timeoutMs} ms after SIGTERM: sending SIGKILL`);
      this.signal('SIGKILL');
    }, timeoutMs);
    await this.exited;
    clearTimeout(t);
    return { code: this.exitCode, signal: this.exitSignal, killed };
  }

  sanitizerReport() {
    return this.lines.some((l) => SANITIZER_RE.test(l));
  }
}

// ---- the cluster ------------------------------------------------------------

const liveClusters = new Set();
process.once('exit', () => {
  // Last resort (synchronous): nothing of ours outlives this process.
  for (const c of liveClusters) c.killAllSync();
});

export class Cluster {
  constructor(name) {
    this.name = name;
    this.tag = `${name}-${process.pid}-${randomId(6)}`;
    this.prefix = `e2e-${name}-${randomId(6)}:`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `braid-e2e-${name}-`));
    fs.mkdirSync(path.join(this.dir, 'logs'));
    this.pidFile = path.join(this.dir, 'pids');
    fs.writeFileSync(this.pidFile, '');
    this.procs = [];
    this.controllers = [];
    this.mediads = [];
    this.redis = null; // RedisClient for the tests
    this.clients = []; // extra RedisClients to close
    this.stopped = false;
    this.failed = false;
    this.net = null; // the test net (netns.mjs), with createNet() / useNet()
    this.ownsNet = false;
    this.netCleanupFile = path.join(this.dir, 'net-cleanup.sh');
    this._startWatchdog();
    liveClusters.add(this);
  }

  // A detached shell that, if this node process dies without stop(), kills the
  // processes listed in the pid file (each checked by its start time, so a
  // reused pid is never hit), runs the test net's removal commands if there
  // is a test net (net-cleanup.sh) and removes the temp dir.
  _startWatchdog() {
    const script = `
      parent=$1; pidfile=$2; dir=$3
      while kill -0 "$parent" 2>/dev/null; do sleep 0.5; done
      if [ -f "$pidfile" ]; then
        while read -r p st; do
          [ -n "$p" ] || continue
          stat=$(cat /proc/$p/stat 2>/dev/null) || continue
          set -- \${stat##*) }
          [ "\${20}" = "$st" ] && kill -9 "$p" 2>/dev/null
        done < "$pidfile"
      fi
      [ -f "$dir/net-cleanup.sh" ] && sh "$dir/net-cleanup.sh" >/dev/null 2>&1
      rm -rf "$dir"`;
    this.watchdog = spawn('bash', ['-c', script, 'braid-e2e-watchdog', String(process.pid),
                                   this.pidFile, this.dir],
                          { detached: true, stdio: 'ignore' });
    this.watchdog.unref();
  }

  // Puts a process this test did not spawn itself (e.g. a grandchild) under
  // the watchdog's protection.
  adopt(pid) {
    fs.appendFileSync(this.pidFile, `${pid} ${procStartTime(pid)}\n`);
  }

  redisUrl() {
    return `redis://${HOST}:${this.redisPort}`;
  }

  // Redis as the hosts of the test net reach it: at the bridge's address.
  netRedisUrl() {
    if (!this.net) throw new Error('netRedisUrl(): this cluster has no test net');
    return `redis://${this.net.bridgeIp}:${this.redisPort}`;
  }

  // Creates a test net (netns.mjs createTestNet; options: hosts, verify) for
  // this cluster, removed by stop() and, if this process dies, by the
  // watchdog. Before startRedis(), which then also listens on the bridge.
  async createNet(opts = {}) {
    this._netBeforeRedis();
    this.net = await createTestNet({ ...opts, tag: opts.tag ?? this.name, cleanupFile: this.netCleanupFile });
    this.ownsNet = true;
    return this.net;
  }

  // Uses a test net made elsewhere (its maker removes it). Before startRedis().
  useNet(net) {
    this._netBeforeRedis();
    this.net = net;
    this.ownsNet = false;
    return net;
  }

  _netBeforeRedis() {
    if (this.net) throw new Error('this cluster already has a test net');
    if (this.redisProc) throw new Error('a test net must be set before startRedis() (redis listens on the bridge)');
  }

  async startRedis() {
    this.redisPort = await freePort();
    // With a test net, redis also listens on the bridge (a private subnet
    // with no physical port) for the media daemons in the namespaces; its
    // protected mode would refuse them (no password), so it is off then.
    const bind = this.net ? [HOST, this.net.bridgeIp] : [HOST];
    const p = new Proc(this, 'redis', 'redis-server', [
      '--port', String(this.redisPort), '--bind', ...bind, '--save', '', '--appendonly', 'no',
      '--dir', this.dir, '--protected-mode', this.net ? 'no' : 'yes', '--daemonize', 'no', '--loglevel', 'notice',
    ]);
    this.procs.push(p);
    this.redisProc = p;
    await new Promise((r) => setImmediate(r));
    if (p.spawnError) {
      throw new Error(p.spawnError.code === 'ENOENT'
        ? 'redis-server not found on PATH: install it (apt-get install redis-server; ' +
          'tools/braid-dev test does this)'
        : `cannot start redis-server: ${p.spawnError.message}`);
    }
    await p.waitForLine(/Ready to accept connections/);
    this.redis = await this.redisClient();
    const pong = await this.redis.call('PING');
    if (pong !== 'PONG') throw new Error(`redis PING answered ${pong}`);
  }

  async redisClient() {
    const c = await RedisClient.connect(this.redisPort, HOST);
    this.clients.push(c);
    return c;
  }

  async startController({ id, dialect, args = [], env = {} } = {}) {
    const n = this.controllers.length;
    id = id ?? `ctl-${String.fromCharCode(97 + n)}-${randomId(4)}`;
    const port = await freePort();
    const argv = ['--redis', this.redisUrl(), '--listen', `${HOST}:${port}`, '--id', id,
                  '--prefix', this.prefix, '--log-level', 'debug'];
    if (dialect) argv.push('--dialect', dialect);
    argv.push(...args);
    const proc = new Proc(this, `controller-${n}`, binaryPath('braid-controller'), argv, { env });
    this.procs.push(proc);
    await proc.waitForLine(new RegExp(`listening on http://${HOST.replace(/\./g, '\\.')}:${port}`));
    const httpUrl = `http://${HOST}:${port}`;
    await waitFor(async () => {
      const r = await httpGet(`${httpUrl}/healthz`);
      if (r.status !== 200) return false;
      const j = JSON.parse(r.body);
      return j.ok === true && j.id === id;
    }, { timeoutMs: READY_TIMEOUT_MS, what: `${id} /healthz 200 {"ok":true,"id":"${id}"}` });
    const ctl = {
      id, port, proc, httpUrl,
      wsUrl: (roomId, peerId, extra = '') =>
        `ws://${HOST}:${port}/?roomId=${encodeURIComponent(roomId)}&peerId=${encodeURIComponent(peerId)}${extra}`,
    };
    this.controllers.push(ctl);
    return ctl;
  }

  // host: index of a test-net host to run the daemon in (inside its network
  // namespace, with its address as --ip and --announced-ip, redis at the
  // bridge); without it, on 127.0.0.1 in this namespace. Resolves with
  // {nodeId, proc, rtcPort, portRange, ip, host} (host: the test-net host
  // index, or null).
  async startMediad({ args = [], env = {}, host } = {}) {
    const n = this.mediads.length;
    const h = host === undefined || host === null ? null : this._netHost(host);
    const ip = h ? h.ip : HOST;
    // Inside a fresh namespace any port is free; the helpers still give
    // ports distinct from every other daemon's, whatever host it is on.
    const rtcPort = await freePort({ udp: true });
    const [lo, hi] = await freePortRange(50);
    const argv = ['--redis', h ? this.netRedisUrl() : this.redisUrl(), '--ip', ip, '--announced-ip', ip,
                  '--rtc-port', String(rtcPort), '--port-range', `${lo}-${hi}`,
                  '--prefix', this.prefix, '--log-level', 'debug', ...args];
    const bin = binaryPath('braid-mediad');
    let proc;
    if (h) {
      // `ip netns exec` execs the daemon in place: proc.pid is the daemon's.
      const [cmd, ...pre] = this.net.exec(h.index);
      proc = new Proc(this, `mediad-${n}-h${h.index}`, cmd, [...pre, bin, ...argv], { env });
    } else {
      proc = new Proc(this, `mediad-${n}`, bin, argv, { env });
    }
    this.procs.push(proc);
    const m = await proc.waitForLine(/registered node (\S+)/);
    const nodeId = m[1];
    await waitFor(async () => (await this.redis.call('EXISTS', `${this.prefix}node:${nodeId}`)) === 1,
                  { timeoutMs: READY_TIMEOUT_MS, what: `key ${this.prefix}node:${nodeId}` });
    if (h) this._checkInNetns(proc, bin, h);
    const md = { nodeId, proc, rtcPort, portRange: [lo, hi], ip, host: h ? h.index : null };
    this.mediads.push(md);
    return md;
  }

  _netHost(i) {
    if (!this.net) throw new Error(`startMediad({host: ${i}}): this cluster has no test net (createNet() first)`);
    const h = this.net.hosts[i];
    if (!h) throw new Error(`startMediad({host: ${i}}): the test net has hosts 0..${this.net.hosts.length - 1}`);
    return h;
  }

  // The process at proc.pid is the daemon itself (so signals by pid reach
  // it) and lives in host h's network namespace.
  _checkInNetns(proc, bin, h) {
    let exe;
    let ns;
    let want;
    try {
      exe = fs.readlinkSync(`/proc/${proc.pid}/exe`);
      ns = fs.readlinkSync(`/proc/${proc.pid}/ns/net`);
      want = `net:[${fs.statSync(`/run/netns/${h.name}`).ino}]`;
    } catch (err) {
      throw new Error(`${proc.name} (pid ${proc.pid}): cannot inspect it: ${err.message}`);
    }
    if (exe !== fs.realpathSync(bin)) {
      throw new Error(`${proc.name}: pid ${proc.pid} runs ${exe}, not ${bin} (did \`ip netns exec\` fork?)`);
    }
    if (ns !== want) throw new Error(`${proc.name}: pid ${proc.pid} is in ${ns}, not in netns ${h.name} (${want})`);
  }

  // Runs braidctl against this cluster's Redis and prefix.
  braidctl(args, { timeoutMs = 10000 } = {}) {
    const argv = ['--redis', this.redisUrl(), '--prefix', this.prefix, ...args];
    return new Promise((resolve) => {
      execFile(binaryPath('braidctl'), argv, { timeout: timeoutMs, env: childEnv(this.tag) },
        (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, signal: err?.signal ?? null,
                    stdout, stderr });
        });
    });
  }

  async braidctlJson(args) {
    const r = await this.braidctl(['--json', ...args]);
    if (r.code !== 0) {
      throw new Error(`braidctl --json ${args.join(' ')} exited ${r.code}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr}`);
    }
    try {
      return JSON.parse(r.stdout);
    } catch (err) {
      throw new Error(`braidctl --json ${args.join(' ')} printed invalid JSON (${err.message}): ${r.stdout}`);
    }
  }

  key(k) {
    return `${this.prefix}${k}`;
  }

  printLogs(reason = 'test failed') {
    const out = [`\n===== braid e2e [${this.name}] ${reason}: process logs (${this.dir}/logs) =====`];
    for (const p of this.procs) {
      out.push(`----- ${p.name} (pid ${p.pid}) ${p.cmd} ${p.args.join(' ')}`);
      out.push(p.log() || '(no output)');
    }
    out.push('===== end of logs =====\n');
    process.stderr.write(out.join('\n') + '\n');
  }

  // Wraps a test body so that stop() knows whether every test finished: a
  // test that threw or was cancelled by its timeout makes stop() print every
  // process log.
  wrap(fn) {
    return async (t) => {
      this.started = (this.started ?? 0) + 1;
      try {
        const r = await fn(t);
        this.finished = (this.finished ?? 0) + 1;
        return r;
      } catch (err) {
        this.failed = true;
        throw err;
      }
    };
  }

  // Graceful stop: SIGTERM every braid process (then redis), wait, and return
  // the problems found: non-zero exits, SIGKILL needed, sanitizer reports,
  // unexpected earlier deaths. Never throws; always cleans up.
  async stop() {
    if (this.stopped) return this.problems ?? [];
    this.stopped = true;
    const problems = [];
    for (const p of this.procs) {
      if (p !== this.redisProc && !p.alive && !p.expectedExit) {
        problems.push(`${p.name} died unexpectedly (code=${p.exitCode} signal=${p.exitSignal})`);
      }
    }
    const braidProcs = this.procs.filter((p) => p !== this.redisProc);
    const results = await Promise.all(braidProcs.map(async (p) => {
      const wasAlive = p.alive;
      const r = await p.stop();
      return { p, wasAlive, r };
    }));
    for (const { p, wasAlive, r } of results) {
      if (!wasAlive) continue;
      if (r.killed) problems.push(`${p.name} did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
      else if (r.code !== 0) problems.push(`${p.name} exited with code=${r.code} signal=${r.signal} after SIGTERM`);
    }
    for (const p of braidProcs) {
      if (p.sanitizerReport()) problems.push(`${p.name} printed a sanitizer report`);
    }
    for (const c of this.clients) c.close();
    if (this.redisProc) await this.redisProc.stop();
    if (this.net && this.ownsNet) {
      let left;
      try {
        left = await this.net.cleanup();
      } catch (err) {
        left = [`(cannot tell: ${err.message})`];
      }
      if (left.length) problems.push(`test net ${this.net.bridge} not fully removed: ${left.join(', ')}`);
    }
    await Promise.all(this.procs.map((p) => new Promise((r) => p.logStream.end(r))));
    this.problems = problems;
    if (problems.length || (this.started ?? 0) !== (this.finished ?? 0)) this.failed = true;
    if (this.failed) this.printLogs(problems.length ? `problems at stop: ${problems.join('; ')}` : 'a test failed');
    try {
      this.watchdog.kill('SIGKILL');
    } catch {}
    // BRAID_E2E_KEEP_LOGS=DIR keeps every run's process logs (for debugging).
    if (process.env.BRAID_E2E_KEEP_LOGS) {
      fs.cpSync(path.join(this.dir, 'logs'), path.join(process.env.BRAID_E2E_KEEP_LOGS, this.tag),
                { recursive: true });
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    liveClusters.delete(this);
    return problems;
  }

  killAllSync() {
    for (const p of this.procs) {
      if (p.alive) {
        try {
          p.child.kill('SIGKILL');
        } catch {}
      }
    }
    if (this.net && this.ownsNet) {
      try {
        this.net.cleanupSync();
      } catch {}
    }
    try {
      this.watchdog.kill('SIGKILL');
    } catch {}
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch {}
  }
}

// Starts redis plus the requested processes. On any start-up failure, prints
// the logs, stops what was started, and rethrows. mediadArgs: extra flags for
// every media daemon (after the defaults, so they win), e.g.
// ['--rtc-mode', 'range']; controllerArgs likewise for every controller, e.g.
// ['--sctp-max-message-size', '2097152']. net: a multi-host test net, either
// options for Cluster.createNet (e.g. { hosts: 3 }; needs root; removed at
// stop()) or a net from netns.mjs createTestNet (left to its maker); media
// daemon i then runs in host i % hosts.
export async function startCluster(name, { controllers = 1, mediads = 1, dialect, mediadArgs = [],
                                           controllerArgs = [], net } = {}) {
  // Fail before starting anything if the build tree is not there.
  if (controllers) binaryPath('braid-controller');
  if (mediads) binaryPath('braid-mediad');
  const c = new Cluster(name);
  try {
    if (net && typeof net.cleanup === 'function') c.useNet(net);
    else if (net) await c.createNet(net === true ? {} : net);
    await c.startRedis();
    for (let i = 0; i < mediads; i++) {
      await c.startMediad({ args: mediadArgs, host: c.net ? i % c.net.hosts.length : undefined });
    }
    for (let i = 0; i < controllers; i++) await c.startController({ dialect, args: controllerArgs });
  } catch (err) {
    c.failed = true;
    await c.stop();
    throw err;
  }
  return c;
}
