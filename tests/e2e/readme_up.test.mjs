// README's first command, `tools/braid-dev up`, run as a user would (with
// BRAID_DEV_NO_INSTALL=1 and the binaries of this build tree, on free ports):
// it prints the URL, the controller answers /healthz there, the cluster has
// two media daemons, and SIGTERM stops every process it started.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { buildDir, Cluster, freePort, freePortRange, httpGet, procStartTime, Proc, randomId, REPO_ROOT,
         waitFor } from './lib/cluster.mjs';
import { RedisClient } from './lib/redis.mjs';

let c;
let dev; // the braid-dev process
let runDir;
let httpPort;
let redisPort;
const prefix = `e2e-up-${randomId(6)}:`;
let descendants = []; // [{pid, start, comm}] seen while it was up

before(async () => {
  c = new Cluster('readme_up');
  runDir = path.join(c.dir, 'run');
  httpPort = await freePort();
  redisPort = await freePort();
  const [rtcBase] = await freePortRange(1100);
  dev = new Proc(c, 'braid-dev', 'bash', [path.join(REPO_ROOT, 'tools', 'braid-dev'), 'up'], {
    env: {
      BRAID_DEV_NO_INSTALL: '1',
      BRAID_DEV_NO_BUILD: '1',
      BRAID_DEV_BUILD_DIR: buildDir(),
      BRAID_DEV_RUN_DIR: runDir,
      BRAID_DEV_HTTP_PORT: String(httpPort),
      BRAID_DEV_REDIS_PORT: String(redisPort),
      BRAID_DEV_RTC_PORT: String(rtcBase),
      BRAID_DEV_PREFIX: prefix,
      BRAID_DEV_LOG_LEVEL: 'debug',
    },
  });
  c.procs.push(dev);
});

after(async () => {
  if (c?.failed || (c?.started ?? 0) !== (c?.finished ?? 0)) printRunLogs();
  // If the test failed half-way, kill whatever braid-dev left behind (only
  // processes we saw as its descendants, checked by start time).
  if (dev?.alive) await dev.stop(30000);
  for (const d of descendants) {
    if (procStartTime(d.pid) === d.start) {
      try {
        process.kill(d.pid, 'SIGKILL');
      } catch {}
    }
  }
  await c?.stop();
});

function printRunLogs() {
  try {
    const dir = path.join(runDir, 'logs');
    for (const f of fs.readdirSync(dir)) {
      process.stderr.write(`----- ${dir}/${f}\n${fs.readFileSync(path.join(dir, f), 'utf8')}\n`);
    }
  } catch {}
}

// Every process whose parent chain leads to pid.
function descendantsOf(pid) {
  const parent = new Map();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(e), Number(rest[1]));
    } catch {}
  }
  const out = [];
  for (const p of parent.keys()) {
    let q = p;
    for (let i = 0; i < 64 && q > 1; i++) {
      q = parent.get(q);
      if (q === pid) {
        out.push(p);
        break;
      }
    }
  }
  return out;
}

function comm(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

const wrap = (fn) => (t) => c.wrap(fn)(t);

test('braid-dev up prints the URL, serves /healthz, runs 1 controller + 2 media daemons',
     { timeout: 120000 }, wrap(async () => {
  const m = await dev.waitForLine(/Open (http:\/\/127\.0\.0\.1:(\d+)\/\?roomId=([a-z0-9]+))/, 90000);
  assert.equal(Number(m[2]), httpPort, 'URL uses BRAID_DEV_HTTP_PORT');
  assert.match(m[3], /^[a-z0-9]{8}$/);
  const url = new URL(m[1]);

  const h = await httpGet(`http://${url.host}/healthz`);
  assert.equal(h.status, 200, `GET /healthz: ${h.status} ${h.body}`);
  assert.equal(JSON.parse(h.body).ok, true);

  // What it started, as seen in /proc.
  await waitFor(() => {
    const names = descendantsOf(dev.pid).map(comm);
    return names.includes('redis-server') && names.filter((n) => n === 'braid-mediad').length === 2 &&
           names.some((n) => n?.startsWith('braid-controll'));
  }, { timeoutMs: 5000, what: 'redis-server, braid-controller and 2 braid-mediad under braid-dev' });
  descendants = descendantsOf(dev.pid).map((pid) => ({ pid, start: procStartTime(pid), comm: comm(pid) }));
  for (const d of descendants) c.adopt(d.pid);

  // Its redis has the two nodes.
  const r = await RedisClient.connect(redisPort);
  try {
    const nodes = await r.call('ZRANGE', `${prefix}nodes`, 0, -1);
    assert.equal(nodes.length, 2, `two nodes in ${prefix}nodes: ${JSON.stringify(nodes)}`);
    for (const n of nodes) assert.equal(await r.call('EXISTS', `${prefix}node:${n}`), 1);
  } finally {
    r.close();
  }
}));

test('SIGTERM stops braid-dev and every process it started', { timeout: 60000 }, wrap(async () => {
  assert.ok(descendants.length >= 4, `saw its processes: ${JSON.stringify(descendants)}`);
  const res = await dev.stop(30000);
  assert.equal(res.killed, false, 'braid-dev exited by itself after SIGTERM');
  assert.equal(res.code, 0, `braid-dev exit code 0 after SIGTERM (${JSON.stringify(res)})`);
  // Reaped children vanish from /proc; an orphan would still be there with the
  // same start time.
  await waitFor(() => descendants.every((d) => procStartTime(d.pid) !== d.start),
                { timeoutMs: 5000, what: 'all processes started by braid-dev to be gone' })
    .catch((err) => {
      const left = descendants.filter((d) => procStartTime(d.pid) === d.start);
      throw new Error(`${err.message}: still running ${JSON.stringify(left)}`);
    });
  // Nothing listens on its ports any more.
  await assert.rejects(httpGet(`http://127.0.0.1:${httpPort}/healthz`, { timeoutMs: 1000 }));
  await assert.rejects(RedisClient.connect(redisPort, '127.0.0.1', { timeoutMs: 1000 }));
  // Processes stopped cleanly (no sanitizer reports in their logs).
  for (const f of fs.readdirSync(path.join(runDir, 'logs'))) {
    const text = fs.readFileSync(path.join(runDir, 'logs', f), 'utf8');
    assert.doesNotMatch(text, /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/, `${f} is clean`);
  }
}));
