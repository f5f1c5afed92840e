#!/usr/bin/env node
// CPU use of a media daemon during a real call (issue 3): N headless Chromium
// pages (default 3) on the demo page join one room, each sending audio and
// video with the page's defaults (simulcast, two layers, for VP8 and H264;
// SVC, L3T3_KEY, for VP9), through a cluster of redis, one controller and ONE
// media daemon, so every packet goes through it. Once every page decodes the
// video of all the others, and after a warm-up (bandwidth estimation ramps the
// encoders up), it samples for --seconds:
//   - the media daemon's and the controller's CPU time (utime + stime of
//     /proc/<pid>/stat, every thread; clock ticks of `getconf CLK_TCK`) as a
//     percentage of one core, and their RSS (VmRSS of /proc/<pid>/status);
//     the same for Chromium (all its processes) and this node process, for
//     context;
//   - the daemon's wake-ups/s: its voluntary context switches (how often its
//     event loop blocked), from /proc/<pid>/status;
//   - the daemon's datagrams/s in and out: udp_rx / udp_tx of its node hash
//     in Redis (<prefix>node:<id>, written every second by mediad/node.c);
//   - bits/s in and out of the daemon, from Chromium's side (the node hash has
//     no byte counters): what the pages' send and receive transports sent to
//     and received from it (RTCTransportStats bytesSent / bytesReceived: UDP
//     payload, i.e. SRTP, SRTCP, STUN and DTLS; without IP/UDP headers);
//   - per video consumer, the received bitrate, resolution and frame rate;
//     per producer layer, the sent bitrate, resolution and frame rate.
// Prints a table, then one JSON line (the last line of stdout).
//
// Usage (from the repository root, with a Release build: sanitizers distort CPU):
//   BRAID_BUILD_DIR=/tmp/cpu-build node bench/call_cpu.mjs [--codec VP8|VP9|H264]
//       [--seconds 30] [--peers 3] [--warmup 10] [--log-level info]
// Chromium: /usr/bin/chromium (or $BRAID_CHROMIUM), as tests/e2e.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';

import { Cluster, HOST, randomId, sleep } from '../tests/e2e/lib/cluster.mjs';
import { launchBrowser } from '../tests/e2e/lib/browser.mjs';
import { openPeer, pageLogs, waitConsumers, waitFramesGrow } from '../tests/e2e/lib/demo.mjs';

const { values: opt } = parseArgs({
  options: {
    codec: { type: 'string', default: 'VP8' },
    seconds: { type: 'string', default: '30' },
    peers: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '10' },
    'log-level': { type: 'string', default: 'info' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log('usage: BRAID_BUILD_DIR=<build dir> node bench/call_cpu.mjs [--codec VP8|VP9|H264] ' +
              '[--seconds N] [--peers N] [--warmup N] [--log-level error|warn|info|debug]');
  process.exit(0);
}
const codec = opt.codec.toUpperCase();
const seconds = Number(opt.seconds);
const nPeers = Number(opt.peers);
const warmup = Number(opt.warmup);
function usageError(msg) {
  process.stderr.write(`call_cpu: ${msg}\n`);
  process.exit(2);
}
if (!['VP8', 'VP9', 'H264'].includes(codec)) usageError(`--codec must be VP8, VP9 or H264 (got ${opt.codec})`);
if (!(seconds > 0) || !(warmup >= 0)) usageError('--seconds must be > 0 and --warmup >= 0');
if (!(Number.isInteger(nPeers) && nPeers >= 2 && nPeers <= 8)) usageError('--peers must be 2..8');

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];

// ---- /proc ----------------------------------------------------------------

// {ticks: utime + stime, ppid, comm} of a process, or null if it is gone.
function procStat(pid) {
  let s;
  try {
    s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = s.lastIndexOf(')');
  const f = s.slice(close + 2).split(' '); // f[0] is field 3 (state)
  return { comm: s.slice(s.indexOf('(') + 1, close), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]),
           start: f[19] };
}

// VmRSS (kB) and context switches of a process: voluntary ones are the
// times it blocked (an event loop's wake-ups); involuntary ones, preemptions.
function procStatus(pid) {
  try {
    const t = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const num = (re) => Number(t.match(re)?.[1] ?? NaN);
    return { rss: num(/^VmRSS:\s+(\d+) kB/m), vcs: num(/^voluntary_ctxt_switches:\s+(\d+)/m),
             nvcs: num(/^nonvoluntary_ctxt_switches:\s+(\d+)/m) };
  } catch {
    return null;
  }
}

// Every process descended from `root` ({pid: stat}).
function descendants(root) {
  const all = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(Number(d));
    if (st) all.set(Number(d), st);
  }
  const out = new Map();
  const want = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, st] of all) {
      if (!want.has(pid) && want.has(st.ppid)) {
        want.add(pid);
        out.set(pid, st);
        grew = true;
      }
    }
  }
  return out;
}

// Chromium: the descendants of this process that are not the cluster's.
function chromiumProcs(exclude) {
  const out = new Map();
  for (const [pid, st] of descendants(process.pid)) {
    if (!exclude.has(pid) && /chrom/i.test(st.comm)) out.set(pid, st);
  }
  return out;
}

// ---- browser-side stats -------------------------------------------------------

// Runs in the page: cumulative counters of its transports, video consumers
// and video producer layers (RTCStatsReport timestamps in ms).
function pageStats() {
  const d = window.braidDemo;
  const pick = (s, keys) => Object.fromEntries(keys.map((k) => [k, s[k] ?? null]));
  const tkeys = ['timestamp', 'bytesSent', 'bytesReceived', 'packetsSent', 'packetsReceived'];
  return (async () => {
    const out = { transports: {}, consumers: [], producers: [] };
    for (const c of d.consumers.values()) {
      if (c.closed) continue;
      const r = await c.getStats();
      for (const s of r.values()) {
        if (s.type === 'transport') out.transports.recv = pick(s, tkeys);
        if (s.type === 'inbound-rtp' && c.kind === 'video') {
          out.consumers.push({
            consumerId: c.id, peerId: c.appData.peerId, codec: r.get(s.codecId)?.mimeType ?? null,
            ...pick(s, ['timestamp', 'bytesReceived', 'packetsReceived', 'packetsLost', 'framesDecoded',
                        'frameWidth', 'frameHeight', 'framesPerSecond', 'keyFramesDecoded', 'nackCount',
                        'pliCount', 'firCount']),
          });
        }
      }
    }
    for (const p of d.producers.values()) {
      if (p.closed) continue;
      const r = await p.getStats();
      for (const s of r.values()) {
        if (s.type === 'transport') out.transports.send = pick(s, tkeys);
        if (s.type === 'outbound-rtp' && p.kind === 'video') {
          out.producers.push({
            producerId: p.id, codec: r.get(s.codecId)?.mimeType ?? null,
            ...pick(s, ['timestamp', 'rid', 'ssrc', 'active', 'bytesSent', 'packetsSent', 'framesEncoded',
                        'frameWidth', 'frameHeight', 'framesPerSecond', 'scalabilityMode',
                        'qualityLimitationReason', 'encoderImplementation']),
          });
        }
      }
    }
    return out;
  })();
}

const rate = (a, b, key, dtMs) => (b?.[key] != null && a?.[key] != null && dtMs > 0 ? (b[key] - a[key]) * 1000 / dtMs : null);

// ---- main ---------------------------------------------------------------------

const c = new Cluster('call_cpu');
let browser;
const pages = [];
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  process.stderr.write('interrupted: stopping\n');
});

async function main() {
  const logLevel = ['--log-level', opt['log-level']];
  await c.startRedis();
  const md = await c.startMediad({ args: logLevel });
  const ctl = await c.startController({ args: logLevel });
  const mdPid = md.proc.pid;
  const ctlPid = ctl.proc.pid;
  const nodeKey = c.key(`node:${md.nodeId}`);

  browser = await launchBrowser();
  const probe = await browser.context.newPage();
  const sendCodecs = await probe.evaluate(() => RTCRtpSender.getCapabilities('video').codecs.map((x) => x.mimeType));
  await probe.close();
  if (!sendCodecs.some((m) => m.toLowerCase() === `video/${codec.toLowerCase()}`)) {
    throw new Error(`${codec} is not offered by this Chromium (${sendCodecs.join(', ')})`);
  }

  const roomId = randomId(8);
  const query = { [`force${codec}`]: 'true' };
  const t0 = Date.now();
  const opened = await Promise.allSettled(NAMES.slice(0, nPeers).map((displayName) =>
    openPeer(browser, ctl, { roomId, displayName, query })));
  for (const r of opened) if (r.status === 'fulfilled') pages.push(r.value);
  const failed = opened.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const ids = pages.map((p) => p.peerId);
  const nameOf = Object.fromEntries(pages.map((p) => [p.peerId, p.displayName]));
  for (const page of pages) {
    const others = ids.filter((id) => id !== page.peerId);
    await waitConsumers(page, others, { timeoutMs: 30000 });
  }
  for (const page of pages) {
    await waitFramesGrow(page, ids.filter((id) => id !== page.peerId), {}, { minFrames: 5, timeoutMs: 30000 });
  }
  const joinedMs = Date.now() - t0;
  // Every page must talk to this daemon's WebRtcServer port (else udp_rx/tx miss it).
  for (const page of pages) {
    for (const x of await page.evaluate(() => window.braidDemo.selectedPairs())) {
      if (x.remote !== `${HOST}:${md.rtcPort}`) {
        process.stderr.write(`warning: ${page.displayName} ${x.direction} transport uses ${x.protocol} ${x.remote}, ` +
                             `not the daemon's WebRtcServer port ${md.rtcPort}: udp_rx/udp_tx miss it\n`);
      }
    }
  }
  process.stderr.write(`${nPeers} peers decode each other's ${codec} after ${joinedMs} ms; ` +
                       `warming up ${warmup} s, then sampling ${seconds} s\n`);
  await sleep(warmup * 1000);
  if (interrupted) throw new Error('interrupted');

  // ---- sample ----
  const exclude = new Set(c.procs.map((p) => p.pid));
  const snap = async () => {
    const hash = await c.redis.hgetall(nodeKey);
    const chrome = chromiumProcs(exclude);
    return {
      mono: performance.now(), md: procStat(mdPid), ctl: procStat(ctlPid), chrome, self: process.cpuUsage(),
      node: { udp_rx: Number(hash.udp_rx), udp_tx: Number(hash.udp_tx), updated_ms: Number(hash.updated_ms),
              cpu: Number(hash.cpu), udp_tx_dropped: Number(hash.udp_tx_dropped), rx_dropped: Number(hash.rx_dropped),
              consumers: Number(hash.consumers), producers: Number(hash.producers), transports: Number(hash.transports) },
      status: { md: procStatus(mdPid), ctl: procStatus(ctlPid) },
    };
  };
  const loadBefore = os.loadavg();
  const b0 = await Promise.all(pages.map((p) => p.evaluate(pageStats)));
  const samples = [await snap()];
  const end = samples[0].mono + seconds * 1000;
  while (!interrupted) {
    const wait = Math.min(1000, end - performance.now());
    if (wait <= 0) break;
    await sleep(wait);
    samples.push(await snap());
  }
  const b1 = await Promise.all(pages.map((p) => p.evaluate(pageStats)));
  const loadAfter = os.loadavg();
  if (interrupted) throw new Error('interrupted');
  for (const [i, page] of pages.entries()) {
    if (b1[i].consumers.length < nPeers - 1) throw new Error(`${page.displayName} lost a video consumer during sampling`);
  }

  // ---- reduce ----
  const first = samples[0];
  const last = samples.at(-1);
  const wallS = (last.mono - first.mono) / 1000;
  const pct = (a, b, dtS) => (b && a ? (b.ticks - a.ticks) / CLK_TCK / dtS * 100 : null);
  const perSecond = (key) => samples.slice(1).map((s, i) => pct(samples[i][key], s[key], (s.mono - samples[i].mono) / 1000));
  const chromeTicks = (a, b) => {
    let t = 0;
    for (const [pid, st] of b) {
      const old = a.get(pid);
      // (A process started during the window is left out: only part of its
      // ticks fall in it. One that exited is left out too.)
      if (old && old.start === st.start) t += st.ticks - old.ticks;
    }
    return t;
  };
  const spread = (xs) => {
    const v = xs.filter((x) => x != null).sort((a, b) => a - b);
    return v.length ? { min: v[0], median: v[Math.floor(v.length / 2)], max: v.at(-1) } : null;
  };
  const rss = (key) => spread(samples.map((s) => s.status[key]?.rss));
  const perS = (key, field) => (last.status[key] && first.status[key]
    ? (last.status[key][field] - first.status[key][field]) / wallS : null);
  const nodeDt = last.node.updated_ms - first.node.updated_ms;
  const daemon = {
    cpu_percent: pct(first.md, last.md, wallS),
    cpu_percent_per_second: spread(perSecond('md')),
    rss_kb: rss('md'),
    wakeups_per_s: perS('md', 'vcs'), preemptions_per_s: perS('md', 'nvcs'),
    node_hash_cpu_percent: spread(samples.map((s) => s.node.cpu)),
    rx_pps: nodeDt > 0 ? (last.node.udp_rx - first.node.udp_rx) * 1000 / nodeDt : null,
    tx_pps: nodeDt > 0 ? (last.node.udp_tx - first.node.udp_tx) * 1000 / nodeDt : null,
    udp_tx_dropped: last.node.udp_tx_dropped - first.node.udp_tx_dropped,
    rx_dropped: last.node.rx_dropped - first.node.rx_dropped,
    transports: last.node.transports, producers: last.node.producers, consumers: last.node.consumers,
  };
  const controller = { cpu_percent: pct(first.ctl, last.ctl, wallS), cpu_percent_per_second: spread(perSecond('ctl')),
                       rss_kb: rss('ctl') };
  const chromium = { processes: last.chrome.size,
                     cpu_percent: chromeTicks(first.chrome, last.chrome) / CLK_TCK / wallS * 100 };
  const selfPct = ((last.self.user + last.self.system) - (first.self.user + first.self.system)) / 1e4 / wallS;

  // Browser side: bytes the daemon received = what the pages' transports sent
  // (send: media + RTCP; recv: RTCP feedback), and conversely.
  let inBps = 0, outBps = 0, inPps = 0, outPps = 0;
  const consumersOut = [];
  const producersOut = [];
  for (const [i, page] of pages.entries()) {
    for (const dir of ['send', 'recv']) {
      const a = b0[i].transports[dir];
      const b = b1[i].transports[dir];
      const dt = b && a ? b.timestamp - a.timestamp : 0;
      inBps += (rate(a, b, 'bytesSent', dt) ?? NaN) * 8;
      outBps += (rate(a, b, 'bytesReceived', dt) ?? NaN) * 8;
      inPps += rate(a, b, 'packetsSent', dt) ?? NaN;
      outPps += rate(a, b, 'packetsReceived', dt) ?? NaN;
    }
    for (const s1 of b1[i].consumers) {
      const s0 = b0[i].consumers.find((x) => x.consumerId === s1.consumerId);
      const dt = s0 ? s1.timestamp - s0.timestamp : 0;
      consumersOut.push({
        at: page.displayName, from: nameOf[s1.peerId] ?? s1.peerId, codec: s1.codec,
        width: s1.frameWidth, height: s1.frameHeight,
        fps: rate(s0, s1, 'framesDecoded', dt), kbps: (rate(s0, s1, 'bytesReceived', dt) ?? NaN) * 8 / 1000,
        pps: rate(s0, s1, 'packetsReceived', dt),
        lost: s0 ? s1.packetsLost - s0.packetsLost : null, nacks: s0 ? s1.nackCount - s0.nackCount : null,
        plis: s0 ? s1.pliCount - s0.pliCount : null,
        keyframes: s0 ? s1.keyFramesDecoded - s0.keyFramesDecoded : null,
      });
    }
    for (const s1 of b1[i].producers) {
      const s0 = b0[i].producers.find((x) => x.ssrc === s1.ssrc);
      const dt = s0 ? s1.timestamp - s0.timestamp : 0;
      producersOut.push({
        peer: page.displayName, rid: s1.rid, codec: s1.codec, mode: s1.scalabilityMode,
        width: s1.frameWidth, height: s1.frameHeight, fps: rate(s0, s1, 'framesEncoded', dt),
        kbps: (rate(s0, s1, 'bytesSent', dt) ?? NaN) * 8 / 1000, limitation: s1.qualityLimitationReason,
        encoder: s1.encoderImplementation,
      });
    }
  }
  const traffic = { in_mbps: inBps / 1e6, out_mbps: outBps / 1e6, in_pps_browser: inPps, out_pps_browser: outPps };
  const fwdMbps = traffic.out_mbps;
  const result = {
    bench: 'call_cpu', date: new Date().toISOString(), codec, peers: nPeers, seconds: wallS, warmup_s: warmup,
    log_level: opt['log-level'], clk_tck: CLK_TCK, nproc: os.cpus().length,
    loadavg_before: loadBefore, loadavg_after: loadAfter, join_ms: joinedMs,
    mediad: daemon, controller, chromium, bench_node_cpu_percent: selfPct, traffic,
    mediad_cpu_percent_per_out_mbps: daemon.cpu_percent / fwdMbps,
    mediad_cpu_us_per_packet: daemon.cpu_percent / 100 * 1e6 / (daemon.rx_pps + daemon.tx_pps),
    mediad_cpu_us_per_wakeup: daemon.cpu_percent / 100 * 1e6 / daemon.wakeups_per_s,
    mediad_datagrams_per_wakeup: (daemon.rx_pps + daemon.tx_pps) / daemon.wakeups_per_s,
    consumers: consumersOut, producers: producersOut,
  };
  report(result);
}

const f = (x, d = 1) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(d));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function report(r) {
  const L = [];
  L.push(`Media daemon CPU, ${r.peers}-peer call, ${r.codec}, ${f(r.seconds)} s after ${r.warmup_s} s warm-up ` +
         `(log level ${r.log_level}; ${r.nproc} CPUs; load ${r.loadavg_before.map((x) => x.toFixed(2)).join(' ')} before, ` +
         `${r.loadavg_after.map((x) => x.toFixed(2)).join(' ')} after)`);
  L.push('');
  L.push(`${pad('process', 22)}${lpad('CPU % of a core', 16)}${lpad('per-second min/med/max', 25)}${lpad('RSS MiB', 10)}`);
  const row = (name, p) => L.push(`${pad(name, 22)}${lpad(f(p.cpu_percent), 16)}` +
    `${lpad(p.cpu_percent_per_second ? `${f(p.cpu_percent_per_second.min, 0)}/${f(p.cpu_percent_per_second.median, 0)}/${f(p.cpu_percent_per_second.max, 0)}` : '-', 25)}` +
    `${lpad(p.rss_kb ? f(p.rss_kb.max / 1024) : '-', 10)}`);
  row('braid-mediad', r.mediad);
  row('braid-controller', r.controller);
  row(`chromium (${r.chromium.processes} procs)`, r.chromium);
  row('bench (node)', { cpu_percent: r.bench_node_cpu_percent });
  L.push('');
  L.push(`media daemon traffic: in ${f(r.mediad.rx_pps, 0)} datagrams/s, ${f(r.traffic.in_mbps, 2)} Mbit/s; ` +
         `out ${f(r.mediad.tx_pps, 0)} datagrams/s, ${f(r.traffic.out_mbps, 2)} Mbit/s ` +
         `(datagrams: node hash udp_rx/udp_tx; bits: Chromium transport stats, which count ` +
         `${f(r.traffic.in_pps_browser, 0)} / ${f(r.traffic.out_pps_browser, 0)} packets/s)`);
  L.push(`  ${r.mediad.transports} transports, ${r.mediad.producers} producers, ${r.mediad.consumers} consumers; ` +
         `udp_tx_dropped +${r.mediad.udp_tx_dropped}, rx_dropped +${r.mediad.rx_dropped}`);
  L.push(`  ${f(r.mediad_cpu_percent_per_out_mbps, 2)} % of a core per forwarded (out) Mbit/s; ` +
         `${f(r.mediad_cpu_us_per_packet, 2)} µs of CPU per datagram (in + out)`);
  L.push(`  ${f(r.mediad.wakeups_per_s, 0)} wake-ups/s (voluntary context switches), ` +
         `${f(r.mediad_datagrams_per_wakeup, 2)} datagrams and ${f(r.mediad_cpu_us_per_wakeup, 1)} µs of CPU per wake-up; ` +
         `${f(r.mediad.preemptions_per_s, 0)} preemptions/s`);
  L.push('');
  L.push(`${pad('receiver', 10)}${pad('from', 8)}${pad('codec', 12)}${lpad('size', 10)}${lpad('fps', 6)}${lpad('kbit/s', 9)}` +
         `${lpad('pkt/s', 7)}${lpad('lost', 6)}${lpad('NACK', 6)}${lpad('PLI', 5)}${lpad('keyfr', 6)}`);
  for (const x of r.consumers) {
    L.push(`${pad(x.at, 10)}${pad(x.from, 8)}${pad(x.codec ?? '-', 12)}${lpad(`${x.width}x${x.height}`, 10)}` +
           `${lpad(f(x.fps), 6)}${lpad(f(x.kbps, 0), 9)}${lpad(f(x.pps, 0), 7)}${lpad(x.lost ?? '-', 6)}` +
           `${lpad(x.nacks ?? '-', 6)}${lpad(x.plis ?? '-', 5)}${lpad(x.keyframes ?? '-', 6)}`);
  }
  L.push('');
  L.push(`${pad('sender', 10)}${pad('rid', 5)}${pad('mode', 10)}${lpad('size', 10)}${lpad('fps', 6)}${lpad('kbit/s', 9)}  limited by`);
  for (const x of r.producers) {
    L.push(`${pad(x.peer, 10)}${pad(x.rid ?? '-', 5)}${pad(x.mode ?? '-', 10)}${lpad(`${x.width ?? 0}x${x.height ?? 0}`, 10)}` +
           `${lpad(f(x.fps), 6)}${lpad(f(x.kbps, 0), 9)}  ${x.limitation ?? '-'}`);
  }
  L.push('');
  console.log(L.join('\n'));
  console.log(JSON.stringify(r, (k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v)));
}

let code = 0;
try {
  await main();
} catch (err) {
  code = 1;
  c.failed = true;
  process.stderr.write(`call_cpu: ${err.stack ?? err}\n`);
  if (pages.length) process.stderr.write(pageLogs(pages) + '\n');
} finally {
  await Promise.all(pages.map((p) => p.close().catch(() => {})));
  await browser?.close().catch(() => {});
  const problems = await c.stop();
  if (problems.length) {
    process.stderr.write(`call_cpu: problems at stop: ${problems.join('; ')}\n`);
    code = 1;
  }
}
process.exit(code);
