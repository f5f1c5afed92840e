// Helpers that drive real FFmpeg and GStreamer against the SFU's plain
// transports (RTP/RTCP over UDP, optional rtcp-mux, optional SRTP with
// mediasoup's SrtpParameters {cryptoSuite, keyBase64}). Proven tool to tool on
// loopback, without the SFU, by tests/e2e/media_tools.test.mjs.
//
// Every process started with spawnTool() has its output captured (to a file
// and in memory) and dies with the test: stop() sends SIGTERM then SIGKILL,
// a process 'exit' hook SIGKILLs whatever is left, and a detached watchdog
// shell SIGKILLs them (each checked by pid + start time) if this node process
// is itself killed without running its hooks.
//
// Tool quirks found while writing this (FFmpeg 5.1, GStreamer 1.22):
//  - ffmpeg's SDP/RTP receiver IGNORES `a=rtcp:` and `a=rtcp-mux`: it always
//    binds RTP on the m= port and RTCP on m= port + 1, both on 0.0.0.0. RTCP
//    that arrives on the RTP port (rtcp-mux) is still understood. So a
//    consumer transport must send RTCP to port + 1 (or to port itself when
//    muxed); sdpFromConsumers() rejects any other rtcpPort. Its receiver
//    reports go to the c= address, port + 1, i.e. to itself: the SFU never
//    gets RTCP (no PLI/NACK) from an ffmpeg recorder.
//  - ffmpeg ignores `a=ssrc:` for filtering (a wrong one still records).
//  - ffmpeg's recorder probes its input first (analyzeduration 5 s) and the
//    webm/mkv muxer needs the VP8 frame size, which only a key frame carries:
//    with no VP8 key frame in the first ~5-10 s it exits 1 with "dimensions
//    not set" / "Could not write header". With no packets at all it gives up
//    the same way after ~10 s. The SFU side must therefore deliver (request)
//    a key frame right after the recorder starts. ffmpeg's libvpx encoder
//    (the sender of ffmpegTeeArgs) makes one every 12 frames anyway (its
//    default gop size), so late joins work tool to tool.
//  - webm output: the per-stream duration is not a stream field but a tag
//    (tags.DURATION "HH:MM:SS.nnnnnnnnn"); ffprobeStreams() reads it.
//  - ffmpeg's RTP muxer option ssrc is a SIGNED 32-bit int: SSRCs >= 2^31
//    must be given as ssrc - 2^32 (ffmpegTeeArgs does it). Otherwise that
//    tee slave fails to open and the tee muxer carries on with the other one
//    (exit code 0, only one stream sent; "continuing with 1/2 slaves").
//  - ffmpeg writes its progress line with '\r' only: spawnTool() splits on
//    '\r' too, or the log would be one endless line.
//  - srtpenc's `key` property is a GstBuffer given to gst-launch as a bare hex
//    string (key=0a1b...), no "(buffer)" prefix and no quotes (we spawn without
//    a shell). In caps it is `srtp-key=(buffer)0a1b...`. The key is master
//    key || master salt, the same concatenation as mediasoup's keyBase64:
//    30 bytes for AES_CM_*, 28 for AEAD_AES_128_GCM, 44 for AEAD_AES_256_GCM
//    (srtpenc's property blurb "minimum of 30" is wrong for GCM-128: 28 works).
//  - srtpdec's caps fields: srtp-key (buffer), srtp-cipher, srtp-auth,
//    srtcp-cipher, srtcp-auth (strings: aes-128-icm, aes-128-gcm, aes-256-gcm,
//    hmac-sha1-80, hmac-sha1-32, null), optional roc (uint). ALL four
//    cipher/auth fields AND `ssrc=(uint)N` are required: srtpdec only builds a
//    stream from the caps when they name the SSRC; otherwise it emits
//    "request-key", which gst-launch cannot answer, and drops every packet
//    ("Could not get caps for stream with SSRC n" at GST_DEBUG=srtpdec:4). So
//    the SRTP receiver must be told the consumer's SSRC.
//  - roc: srtpdec starts at ROC 0 (caps roc field) and follows wraps itself,
//    so start the receiver before the first packet; one that joins after the
//    sender's sequence number wrapped cannot decrypt unless given roc=N.
//  - AES_CM_128_HMAC_SHA1_32: 32-bit tag for SRTP but 80-bit for SRTCP, as
//    libsrtp/mediasoup do; GCM suites use auth null (the tag is the AEAD's).
//  - srtpenc has request pads (rtp_sink_%u -> rtp_src_%u, "sometimes"):
//    `rtpvp8pay ! srtpenc ! udpsink` links fine in gst-launch (delayed link).
//    Only RTP goes out: there is no rtpbin, so the GStreamer sender sends no
//    RTCP and never sees a PLI: it must make periodic key frames
//    (keyframe-max-dist, default here 30 = one a second at 30 fps).
//  - A wrong key: srtpdec drops every packet ("Error authentication packet,
//    dropping" at GST_DEBUG=srtpdec:4), decodes nothing, and keeps running.
//  - Counting frames: `fakesink name=framesink silent=false` plus gst-launch
//    `-v` prints one "framesink: last-message = chain ..." line per decoded
//    frame (also "= event" lines, not counted). gst-launch flushes stdout per
//    line. gst-launch dies at once on SIGTERM (no handler), so count before
//    stopping it.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { HOST, procStartTime, waitFor } from './cluster.mjs';

// ---- tools present? ------------------------------------------------------------

// Throws one Error naming everything missing: the programs (ffmpeg, ffprobe,
// gst-launch-1.0, gst-inspect-1.0), ffmpeg's libx264/aac/libopus/libvpx
// encoders and lavfi, and the GStreamer elements the pipelines below use.
// Call it first, so a machine without the tools fails loudly instead of
// skipping.
export function checkMediaTools() {
  const missing = [];
  const run = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000 });
    } catch (err) {
      return err.code === 'ENOENT' ? null : `${err.stdout ?? ''}${err.stderr ?? ''}` || '';
    }
  };
  for (const [cmd, flag] of [['ffmpeg', '-version'], ['ffprobe', '-version'], ['gst-launch-1.0', '--version'],
                              ['gst-inspect-1.0', '--version']]) {
    if (run(cmd, [flag]) === null) missing.push(`program ${cmd}`);
  }
  const enc = run('ffmpeg', ['-hide_banner', '-encoders']);
  if (enc !== null) {
    for (const e of ['libx264', 'aac', 'libopus', 'libvpx']) {
      if (!new RegExp(`^\\s*\\S+\\s+${e}\\s`, 'm').test(enc)) missing.push(`ffmpeg encoder ${e}`);
    }
  }
  const fmts = run('ffmpeg', ['-hide_banner', '-formats']);
  if (fmts !== null && !/^\s*D\s+lavfi\s/m.test(fmts)) missing.push('ffmpeg input format lavfi');
  if (run('gst-inspect-1.0', ['--version']) !== null) {
    for (const el of ['videotestsrc', 'vp8enc', 'vp8dec', 'rtpvp8pay', 'rtpvp8depay', 'srtpenc', 'srtpdec',
                      'udpsrc', 'udpsink', 'fakesink', 'qtdemux', 'decodebin']) {
      try {
        execFileSync('gst-inspect-1.0', ['--exists', el], { stdio: 'ignore', timeout: 20000 });
      } catch {
        missing.push(`GStreamer element ${el}`);
      }
    }
  }
  if (missing.length) {
    throw new Error(`media tools missing: ${missing.join(', ')}. Install them with: apt-get install ffmpeg ` +
                    'gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good ' +
                    'gstreamer1.0-plugins-bad gstreamer1.0-libav');
  }
}

// ---- processes --------------------------------------------------------------------

const liveTools = new Set();
let watchdogPidFile = null;

// One detached watchdog shell per node process: once this process is gone it
// SIGKILLs every pid listed in the pid file whose start time still matches
// (so a reused pid is never hit), then removes its temp dir.
function watchdogFile() {
  if (watchdogPidFile) return watchdogPidFile;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'braid-media-tools-'));
  watchdogPidFile = path.join(dir, 'pids');
  fs.writeFileSync(watchdogPidFile, '');
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
    rm -rf "$dir"`;
  spawn('bash', ['-c', script, 'braid-media-tools-watchdog', String(process.pid), watchdogPidFile, dir],
        { detached: true, stdio: 'ignore' }).unref();
  process.once('exit', () => {
    for (const t of liveTools) {
      try {
        t.child.kill('SIGKILL');
      } catch { /* already gone */ }
    }
  });
  return watchdogPidFile;
}

function shellQuote(a) {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${String(a).replace(/'/g, `'\\''`)}'`;
}

// The command line as one shell-pasteable string (for logs and messages).
export function commandLine(cmd, args) {
  return [cmd, ...args].map(shellQuote).join(' ');
}

// Spawns cmd with args (no shell), stdin /dev/null. Every output line (stdout
// and stderr; '\r' also ends a line) is timestamped into
// <logDir>/<name>.log (logDir defaults to a fresh temp dir) and kept in
// memory. Returns a tool:
//   child, pid, name, logPath, lines (raw text lines),
//   exited: Promise<{code, signal, error}> (resolves once output is read),
//   alive (getter), log() (the timestamped log as one string),
//   onLine(fn) (fn(text) for each later line), waitForLine(re, timeoutMs)
//   (resolves with the match of the first past or future line; rejects with
//   the log if the tool exits first or on timeout),
//   stop(timeoutMs = 5000, signal = 'SIGTERM'): that signal, SIGKILL after
//   timeoutMs; resolves {code, signal, killed}.
// The process is killed if this node process exits (see top of file).
export function spawnTool(cmd, args, { name = path.basename(cmd), logDir, env = {} } = {}) {
  logDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'braid-media-logs-'));
  fs.mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, `${name}.log`);
  const logStream = fs.createWriteStream(logPath);
  const logLines = [];
  const lines = [];
  const listeners = new Set();
  const put = (label, text) => {
    const line = `${new Date().toISOString().slice(11, 23)} ${name} ${label}| ${text}`;
    logLines.push(line);
    if (!logStream.writableEnded) logStream.write(line + '\n');
    if (label === 'out' || label === 'err') {
      lines.push(text);
      for (const l of listeners) l(text);
    }
  };
  put('harness', `$ ${commandLine(cmd, args)}`);
  const pidFile = watchdogFile();
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tool = {
    child, pid: child.pid, name, cmd, args, logPath, lines,
    exitCode: undefined, exitSignal: undefined, spawnError: undefined,
    get alive() {
      return this.exitCode === undefined && !this.spawnError;
    },
    log: () => logLines.join('\n'),
    onLine(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    waitForLine(re, timeoutMs = 20000) {
      return new Promise((resolve, reject) => {
        for (const text of lines) {
          const m = text.match(re);
          if (m) return resolve(m);
        }
        let settled = false;
        let off = () => {};
        const settle = (fn, v) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          off();
          fn(v);
        };
        const timer = setTimeout(() => settle(reject, new Error(
          `${name}: no line matching ${re} within ${timeoutMs} ms\n${tool.log()}`)), timeoutMs);
        off = tool.onLine((text) => {
          const m = text.match(re);
          if (m) settle(resolve, m);
        });
        tool.exited.then(() => settle(reject, new Error(
          `${name} exited (code=${tool.exitCode} signal=${tool.exitSignal}) before printing ${re}\n${tool.log()}`)));
      });
    },
    async stop(timeoutMs = 5000, signal = 'SIGTERM') {
      if (!tool.alive) {
        await tool.exited;
        return { code: tool.exitCode, signal: tool.exitSignal, killed: false };
      }
      child.kill(signal);
      let killed = false;
      const t = setTimeout(() => {
        killed = true;
        put('harness', `no exit ${timeoutMs} ms after ${signal}: sending SIGKILL`);
        child.kill('SIGKILL');
      }, timeoutMs);
      await tool.exited;
      clearTimeout(t);
      return { code: tool.exitCode, signal: tool.exitSignal, killed };
    },
  };
  if (child.pid) {
    fs.appendFileSync(pidFile, `${child.pid} ${procStartTime(child.pid)}\n`);
    liveTools.add(tool);
  }
  tool.exited = new Promise((resolve) => {
    const done = () => {
      liveTools.delete(tool);
      logStream.end();
      resolve({ code: tool.exitCode, signal: tool.exitSignal, error: tool.spawnError });
    };
    child.once('error', (err) => {
      tool.spawnError = err;
      tool.exitCode = null;
      put('harness', err.code === 'ENOENT' ? `spawn failed: ${cmd} not found on PATH` : `spawn failed: ${err.message}`);
      done();
    });
    child.once('exit', (code, signal) => {
      tool.exitCode = code;
      tool.exitSignal = signal;
      // Output may still be in the pipes: resolve on 'close' (or 2 s later).
      const t = setTimeout(() => {
        put('harness', `exited code=${code} signal=${signal}`);
        done();
      }, 2000);
      child.once('close', () => {
        clearTimeout(t);
        setImmediate(() => {
          put('harness', `exited code=${code} signal=${signal}`);
          done();
        });
      });
    });
  });
  for (const [stream, label] of [[child.stdout, 'out'], [child.stderr, 'err']]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (partial + chunk).split(/\r\n|\r|\n/);
      partial = parts.pop();
      for (const p of parts) if (p !== '') put(label, p);
    });
    stream.on('end', () => {
      if (partial !== '') put(label, partial);
      partial = '';
    });
  }
  return tool;
}

// ---- ports -----------------------------------------------------------------------

const handedOut = new Set();

function bindUdp(port, host = HOST) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(null);
    });
    s.bind({ port, address: host, exclusive: true }, () => resolve(s));
  });
}

// n distinct free UDP ports on 127.0.0.1: binds n ephemeral sockets at once,
// reads their ports, closes them. Never hands out a port twice per process.
export async function freeUdpPorts(n) {
  const out = [];
  for (let attempt = 0; out.length < n && attempt < 50; attempt++) {
    const socks = (await Promise.all(Array.from({ length: n - out.length }, () => bindUdp(0)))).filter(Boolean);
    for (const s of socks) {
      const { port } = s.address();
      if (!handedOut.has(port)) {
        handedOut.add(port);
        out.push(port);
      }
    }
    await Promise.all(socks.map((s) => new Promise((r) => s.close(r))));
  }
  if (out.length < n) throw new Error(`could not find ${n} free UDP ports on ${HOST}`);
  return out;
}

// n pairs {port, rtcpPort: port + 1} of free UDP ports (port even), for an
// ffmpeg SDP receiver, which always binds RTP port + 1 for RTCP. Picked in
// 20000-32000, below the kernel's ephemeral range, so that no other socket
// takes them by chance meanwhile.
export async function freeUdpPortPairs(n) {
  const out = [];
  for (let attempt = 0; out.length < n && attempt < 500; attempt++) {
    const port = 20000 + 2 * Math.floor(Math.random() * 6000);
    if (handedOut.has(port) || handedOut.has(port + 1)) continue;
    const a = await bindUdp(port);
    const b = a && (await bindUdp(port + 1));
    for (const s of [a, b]) if (s) await new Promise((r) => s.close(r));
    if (!a || !b) continue;
    handedOut.add(port);
    handedOut.add(port + 1);
    out.push({ port, rtcpPort: port + 1 });
  }
  if (out.length < n) throw new Error(`could not find ${n} free UDP port pairs on ${HOST}`);
  return out;
}

// Resolves once something has bound UDP `port` (our bind on 127.0.0.1 fails:
// e.g. an ffmpeg SDP receiver, which binds 0.0.0.0, is ready for packets).
export async function waitUdpBound(port, { timeoutMs = 10000, what } = {}) {
  await waitFor(async () => {
    const s = await bindUdp(port);
    if (!s) return true;
    await new Promise((r) => s.close(r));
    return false;
  }, { timeoutMs, intervalMs: 50, what: what ?? `UDP port ${port} to be bound` });
}

// ---- SRTP ---------------------------------------------------------------------

// mediasoup cryptoSuite -> key length (master key + salt, bytes) and the
// srtpenc/srtpdec cipher and auth names for RTP and RTCP.
export const SRTP_SUITES = Object.freeze({
  AES_CM_128_HMAC_SHA1_80: { keyLength: 30, rtpCipher: 'aes-128-icm', rtpAuth: 'hmac-sha1-80',
                             rtcpCipher: 'aes-128-icm', rtcpAuth: 'hmac-sha1-80' },
  // RTCP keeps the 80-bit tag with the _32 suite (libsrtp, mediasoup).
  AES_CM_128_HMAC_SHA1_32: { keyLength: 30, rtpCipher: 'aes-128-icm', rtpAuth: 'hmac-sha1-32',
                             rtcpCipher: 'aes-128-icm', rtcpAuth: 'hmac-sha1-80' },
  AEAD_AES_128_GCM: { keyLength: 28, rtpCipher: 'aes-128-gcm', rtpAuth: 'null',
                      rtcpCipher: 'aes-128-gcm', rtcpAuth: 'null' },
  AEAD_AES_256_GCM: { keyLength: 44, rtpCipher: 'aes-256-gcm', rtpAuth: 'null',
                      rtcpCipher: 'aes-256-gcm', rtcpAuth: 'null' },
});

function suiteInfo(suite) {
  const s = SRTP_SUITES[suite];
  if (!s) throw new Error(`unknown SRTP crypto suite ${suite} (known: ${Object.keys(SRTP_SUITES).join(', ')})`);
  return s;
}

// A random keyBase64 (master key || master salt) of the right length for suite.
export function randomSrtpKey(suite) {
  return randomBytes(suiteInfo(suite).keyLength).toString('base64');
}

// keyBase64 -> hex as GStreamer wants it; throws if the length does not fit suite.
export function srtpKeyHex(suite, keyBase64) {
  const key = Buffer.from(keyBase64, 'base64');
  const want = suiteInfo(suite).keyLength;
  if (key.length !== want) throw new Error(`${suite} needs a ${want}-byte key, keyBase64 holds ${key.length} bytes`);
  return key.toString('hex');
}

// ---- media file -------------------------------------------------------------------

// Makes <dir>/media-<seconds>s.mp4 with ffmpeg from lavfi: H.264 video
// (testsrc2, a moving picture, 320x240 at 30 fps, key frame every second,
// x264 ultrafast = constrained baseline, no B frames) and AAC audio (440 Hz
// sine, 48 kHz stereo), moov in front (faststart). Suitable as MEDIA_FILE for
// mediasoup-demo's broadcasters/ffmpeg.sh (ffmpegTeeArgs) and gstreamer.sh
// (qtdemux + decodebin). About 0.7 MB and 0.5 s of CPU for 6 s. Resolves with
// its path.
export async function makeMediaFile(dir, { seconds = 6, width = 320, height = 240, fps = 30 } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `media-${seconds}s.mp4`);
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds), '-map', '0:v', '-map', '1:a',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(fps), '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', '-ac', '2', '-ar', '48000',
    '-movflags', '+faststart', out];
  await new Promise((resolve, reject) => {
    execFile('ffmpeg', args, { timeout: 60000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${commandLine('ffmpeg', args)} failed (${err.code === 'ENOENT' ? 'ffmpeg not found' : err.message}): ${stderr}`));
      else resolve();
    });
  });
  return out;
}

// ---- FFmpeg ----------------------------------------------------------------------

// An SSRC (0 .. 2^32 - 1) as ffmpeg's RTP muxer option (a signed 32-bit int).
export function ffmpegSsrc(ssrc) {
  if (!Number.isInteger(ssrc) || ssrc < 0 || ssrc > 0xffffffff) throw new Error(`bad SSRC ${ssrc}`);
  return ssrc | 0;
}

function rtpUrl({ ip = HOST, port, rtcpPort }) {
  // Without rtcpPort ffmpeg sends RTCP to port + 1; pass rtcpPort: port for rtcp-mux.
  return `rtp://${ip}:${port}${rtcpPort !== undefined ? `?rtcpport=${rtcpPort}` : ''}`;
}

// The arguments (after "ffmpeg") of mediasoup-demo's broadcasters/ffmpeg.sh,
// verbatim: loops mediaFile in real time, re-encodes to Opus + VP8 and sends
// each with its SSRC and payload type to {ip, port} (RTCP to rtcpPort) through
// the tee muxer. audio/video: {ssrc, pt, ip = 127.0.0.1, port, rtcpPort}.
// stdin is /dev/null under spawnTool(), so ffmpeg's keyboard handling is inert.
// The one deviation: an SSRC >= 2^31 is written as its signed 32-bit
// equivalent (ssrc - 2^32), because the RTP muxer's ssrc option is a signed
// int; the packets carry the same 32 bits. (Passed as is, ffmpeg rejects it,
// "Value ... for parameter 'ssrc' out of range", and the tee muxer then goes
// on "with 1/2 slaves": it silently sends only the other stream.)
export function ffmpegTeeArgs({ mediaFile, audio, video }) {
  for (const [k, v] of [['audio', audio], ['video', video]]) {
    if (!v || v.ssrc === undefined || v.pt === undefined || !v.port) {
      throw new Error(`ffmpegTeeArgs: ${k} needs {ssrc, pt, port}: ${JSON.stringify(v)}`);
    }
  }
  audio = { ...audio, ssrc: ffmpegSsrc(audio.ssrc) };
  video = { ...video, ssrc: ffmpegSsrc(video.ssrc) };
  return ['-re', '-v', 'info', '-stream_loop', '-1', '-i', mediaFile,
    '-map', '0:a:0', '-acodec', 'libopus', '-ab', '128k', '-ac', '2', '-ar', '48000',
    '-map', '0:v:0', '-pix_fmt', 'yuv420p', '-c:v', 'libvpx', '-b:v', '1000k', '-deadline', 'realtime', '-cpu-used', '4',
    '-f', 'tee',
    `[select=a:f=rtp:ssrc=${audio.ssrc}:payload_type=${audio.pt}]${rtpUrl(audio)}|` +
    `[select=v:f=rtp:ssrc=${video.ssrc}:payload_type=${video.pt}]${rtpUrl(video)}`];
}

// An SDP that `ffmpeg -protocol_whitelist file,udp,rtp -i x.sdp` receives
// with, one m= section per consumer, from mediasoup consumer rtpParameters:
// codecs[0] gives a=rtpmap (mimeType subtype, clockRate, channels > 1) and
// a=fmtp (parameters); encodings[0].ssrc gives a=ssrc (informative: ffmpeg
// does not filter on it). Header extensions and RTX are left out. consumers:
// [{kind?, port, rtcpPort?, rtpParameters}]; kind defaults to the mimeType's
// type. rtcpPort may only be absent, port + 1 (ffmpeg's fixed choice) or port
// (rtcp-mux, emitted as a=rtcp-mux for readers; ffmpeg reads RTCP on the RTP
// port anyway): anything else throws, as ffmpeg would not listen there.
export function sdpFromConsumers({ ip = HOST, consumers, sessionName = 'braid' }) {
  if (!consumers?.length) throw new Error('sdpFromConsumers: no consumers');
  const ports = new Set();
  const lines = ['v=0', `o=- 0 0 IN IP4 ${ip}`, `s=${sessionName}`, `c=IN IP4 ${ip}`, 't=0 0'];
  for (const c of consumers) {
    const codec = c.rtpParameters?.codecs?.[0];
    if (!codec?.mimeType || codec.payloadType === undefined || !codec.clockRate) {
      throw new Error(`sdpFromConsumers: consumer without codecs[0] {mimeType, payloadType, clockRate}: ${JSON.stringify(c)}`);
    }
    const [type, subtype] = codec.mimeType.split('/');
    const kind = c.kind ?? type.toLowerCase();
    if (!c.port) throw new Error(`sdpFromConsumers: ${codec.mimeType} consumer without port`);
    if (c.rtcpPort !== undefined && c.rtcpPort !== c.port && c.rtcpPort !== c.port + 1) {
      throw new Error(`sdpFromConsumers: ffmpeg always listens for RTCP on port + 1 (${c.port + 1}) ` +
                      `or muxed on ${c.port}, not on rtcpPort ${c.rtcpPort}`);
    }
    for (const p of [c.port, c.port + 1]) {
      if (ports.has(p)) throw new Error(`sdpFromConsumers: port ${p} used twice (ffmpeg binds port and port + 1)`);
      ports.add(p);
    }
    const pt = codec.payloadType;
    lines.push(`m=${kind} ${c.port} RTP/AVP ${pt}`);
    if (c.rtcpPort === c.port) lines.push('a=rtcp-mux');
    const channels = kind === 'audio' && codec.channels > 1 ? `/${codec.channels}` : '';
    lines.push(`a=rtpmap:${pt} ${subtype}/${codec.clockRate}${channels}`);
    const params = Object.entries(codec.parameters ?? {});
    if (params.length) lines.push(`a=fmtp:${pt} ${params.map(([k, v]) => `${k}=${v}`).join(';')}`);
    const ssrc = c.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc !== undefined) lines.push(`a=ssrc:${ssrc} cname:${c.rtpParameters.rtcp?.cname || sessionName}`);
    lines.push('a=recvonly');
  }
  return lines.join('\r\n') + '\r\n';
}

// Arguments (after "ffmpeg") that record `seconds` of every stream described
// by sdpPath into `out` without re-encoding (-c copy), then exit 0 by itself.
// Use a .webm out for Opus + VP8 (ffprobe reads it reliably; .mkv also works,
// and is needed for H.264). The duration counts from the first packet; startup
// (input probing) adds ~0.5 s when media flows. It fails (exit 1, "dimensions
// not set") if no VP8 key frame arrives within about 5-10 s: see the top of
// this file.
export function ffmpegRecordArgs({ sdpPath, out, seconds = 10 }) {
  return ['-hide_banner', '-nostdin', '-v', 'info', '-protocol_whitelist', 'file,udp,rtp',
    '-i', sdpPath, '-map', '0', '-c', 'copy', '-t', String(seconds), '-y', out];
}

function parseHms(s) {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(String(s ?? '').trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : NaN;
}

// ffprobe -v error -show_streams -show_format -count_packets -of json file ->
// [{codec_type, codec_name, duration (s), packets, width?, height?,
//   channels?, sample_rate?}]. duration: the stream's, else its
// tags.DURATION (matroska/webm), else the format's. Rejects with ffprobe's
// message if the file is unreadable.
export function ffprobeStreams(file) {
  const args = ['-v', 'error', '-show_streams', '-show_format', '-count_packets', '-of', 'json', file];
  return new Promise((resolve, reject) => {
    execFile('ffprobe', args, { timeout: 30000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${commandLine('ffprobe', args)} failed (${err.code === 'ENOENT' ? 'ffprobe not found' : err.message}): ${stderr}`));
        return;
      }
      let j;
      try {
        j = JSON.parse(stdout);
      } catch (e) {
        reject(new Error(`ffprobe printed invalid JSON (${e.message}): ${stdout}`));
        return;
      }
      const formatDuration = Number(j.format?.duration);
      resolve((j.streams ?? []).map((s) => {
        let duration = Number(s.duration);
        if (!Number.isFinite(duration)) duration = parseHms(s.tags?.DURATION ?? s.tags?.duration);
        if (!Number.isFinite(duration)) duration = formatDuration;
        const r = { codec_type: s.codec_type, codec_name: s.codec_name, duration,
                    packets: s.nb_read_packets !== undefined ? Number(s.nb_read_packets) : undefined };
        if (s.codec_type === 'video') Object.assign(r, { width: s.width, height: s.height });
        if (s.codec_type === 'audio') Object.assign(r, { channels: s.channels, sample_rate: Number(s.sample_rate) });
        return r;
      }));
    });
  });
}

// ---- GStreamer ---------------------------------------------------------------------

// Environment for a GStreamer receiver: srtpdec logs each dropped packet
// (wrong key, unknown SSRC) at level 4, uncoloured; see srtpDrops().
export const GST_RECV_ENV = Object.freeze({ GST_DEBUG: 'srtpdec:4', GST_DEBUG_NO_COLOR: '1' });

// gst-launch-1.0 arguments of a live VP8 sender: videotestsrc (is-live, moving
// ball) -> vp8enc (deadline=1, a key frame every keyframeMaxDist frames) ->
// rtpvp8pay pt/ssrc (picture-id-mode=2, 15-bit) -> [srtpenc] -> udpsink
// ip:port. One UDP port for everything (rtcp-mux style); no RTCP is sent.
function gstVp8SendArgs({ srtp, ip = HOST, port, ssrc, pt, width = 320, height = 240, fps = 30,
                          keyframeMaxDist = 30, bitrate = 500000 }) {
  if (!port || ssrc === undefined || pt === undefined) throw new Error('GStreamer sender needs {port, ssrc, pt}');
  const args = ['videotestsrc', 'is-live=true', 'pattern=ball', '!',
    `video/x-raw,width=${width},height=${height},framerate=${fps}/1`, '!',
    'vp8enc', 'deadline=1', `keyframe-max-dist=${keyframeMaxDist}`, `target-bitrate=${bitrate}`, '!',
    'rtpvp8pay', `pt=${pt}`, `ssrc=${ssrc}`, 'picture-id-mode=2', '!'];
  if (srtp) {
    const s = suiteInfo(srtp.suite);
    args.push('srtpenc', `key=${srtpKeyHex(srtp.suite, srtp.keyBase64)}`,
              `rtp-cipher=${s.rtpCipher}`, `rtp-auth=${s.rtpAuth}`,
              `rtcp-cipher=${s.rtcpCipher}`, `rtcp-auth=${s.rtcpAuth}`, '!');
  }
  args.push('udpsink', `host=${ip}`, `port=${port}`);
  return args;
}

// SRTP VP8 sender (gst-launch-1.0 args): see gstVp8SendArgs; suite is a
// mediasoup cryptoSuite, keyBase64 its key || salt.
export function gstSrtpSendArgs({ suite, keyBase64, ...rest }) {
  return gstVp8SendArgs({ srtp: { suite, keyBase64 }, ...rest });
}

// Plain RTP VP8 sender (gst-launch-1.0 args), same pipeline without srtpenc.
export function gstRtpSendArgs(opts) {
  return gstVp8SendArgs({ ...opts, srtp: null });
}

function gstVp8RecvArgs({ srtp, ip = HOST, port, pt, ssrc }) {
  if (!port || pt === undefined) throw new Error('GStreamer receiver needs {port, pt}');
  let caps = `${srtp ? 'application/x-srtp' : 'application/x-rtp'},media=(string)video,` +
             `encoding-name=(string)VP8,clock-rate=(int)90000,payload=(int)${pt}`;
  if (ssrc !== undefined) caps += `,ssrc=(uint)${ssrc}`;
  if (srtp) {
    if (ssrc === undefined) throw new Error('gstSrtpRecvArgs needs the ssrc: srtpdec drops packets of SSRCs its caps do not name');
    const s = suiteInfo(srtp.suite);
    caps += `,srtp-key=(buffer)${srtpKeyHex(srtp.suite, srtp.keyBase64)}` +
            `,srtp-cipher=(string)${s.rtpCipher},srtp-auth=(string)${s.rtpAuth}` +
            `,srtcp-cipher=(string)${s.rtcpCipher},srtcp-auth=(string)${s.rtcpAuth}`;
    if (srtp.roc !== undefined) caps += `,roc=(uint)${srtp.roc}`;
  }
  // With rtcp-mux the sender's RTCP (an SFU's sender reports) comes on the
  // same port: srtpdec hands it to its rtcp_src pad, which must be linked
  // (to a fakesink here), or the pipeline stops with "not-linked" at the
  // first RTCP packet.
  return ['-v', 'udpsrc', `address=${ip}`, `port=${port}`, `caps=${caps}`, '!',
    ...(srtp ? ['srtpdec', 'name=dec', '!'] : []),
    'rtpvp8depay', 'wait-for-keyframe=true', '!', 'vp8dec', '!',
    'fakesink', 'name=framesink', 'sync=false', 'silent=false',
    ...(srtp ? ['dec.rtcp_src', '!', 'fakesink', 'name=rtcpsink', 'sync=false', 'async=false'] : [])];
}

// gst-launch-1.0 arguments of an SRTP VP8 receiver on ip:port (udpsrc binds
// 127.0.0.1 by default): udpsrc (application/x-srtp caps with key, ciphers
// and ssrc) -> srtpdec -> rtpvp8depay -> vp8dec -> fakesink "framesink".
// ssrc is required (see top of file); roc optional. Spawn it with env
// GST_RECV_ENV, start it before the sender, count with countFrames().
export function gstSrtpRecvArgs({ suite, keyBase64, roc, ...rest }) {
  return gstVp8RecvArgs({ srtp: { suite, keyBase64, roc }, ...rest });
}

// Plain RTP VP8 receiver (gst-launch-1.0 args): the same without srtpdec;
// ssrc optional (only put in the caps).
export function gstRtpRecvArgs(opts) {
  return gstVp8RecvArgs({ ...opts, srtp: null });
}

const FRAME_RE = /framesink: last-message = chain/;

// VP8 frames decoded so far by a gst*RecvArgs receiver: a tool from
// spawnTool(), or its log text.
export function countFrames(toolOrLog) {
  const lines = typeof toolOrLog === 'string' ? toolOrLog.split('\n') : toolOrLog.lines;
  let n = 0;
  for (const l of lines) if (FRAME_RE.test(l)) n++;
  return n;
}

// Packets srtpdec dropped so far (needs env GST_RECV_ENV): {auth} failed
// authentication (wrong key or suite), {unknownSsrc} had an SSRC the caps do
// not name.
export function srtpDrops(toolOrLog) {
  const lines = typeof toolOrLog === 'string' ? toolOrLog.split('\n') : toolOrLog.lines;
  let auth = 0;
  let unknownSsrc = 0;
  for (const l of lines) {
    if (/Error authentication packet, dropping/.test(l)) auth++;
    else if (/Could not get caps for stream with SSRC/.test(l)) unknownSsrc++;
  }
  return { auth, unknownSsrc };
}

// Starts a gst-launch-1.0 receiver (args from gstSrtpRecvArgs/gstRtpRecvArgs)
// with GST_RECV_ENV and resolves with the tool once its pipeline is PLAYING
// (udpsrc bound); stops it and rejects with its log if that does not happen.
export async function startGstReceiver(args, { name = 'gst-recv', logDir } = {}) {
  const tool = spawnTool('gst-launch-1.0', args, { name, logDir, env: GST_RECV_ENV });
  try {
    await tool.waitForLine(/Setting pipeline to PLAYING/, 20000);
  } catch (err) {
    await tool.stop(2000);
    throw err;
  }
  return tool;
}

// Resolves with countFrames(tool) once it reaches `min` (throws with the log
// after timeoutMs or if the receiver exits).
export async function waitForFrames(tool, min, { timeoutMs = 15000 } = {}) {
  return waitFor(() => {
    if (!tool.alive) {
      throw Object.assign(new Error(`${tool.name} exited (code=${tool.exitCode}) after ${countFrames(tool)} frames\n${tool.log()}`),
                          { fatal: true });
    }
    const n = countFrames(tool);
    return n >= min ? n : false;
  }, { timeoutMs, intervalMs: 100, what: `${tool.name} to decode ${min} frames`,
       detail: () => `${countFrames(tool)} frames, srtp drops ${JSON.stringify(srtpDrops(tool))}\n${tool.log().slice(-4000)}` });
}

// ---- a test's tools -----------------------------------------------------------------

// The tools one test runs: start(cmd, args, opts) spawns with spawnTool()
// into logDir; stopAll() stops every one; logs() is their output, for a
// failure message.
export function toolScope(logDir) {
  fs.mkdirSync(logDir, { recursive: true });
  const tools = [];
  return {
    tools,
    logDir,
    start(cmd, args, opts = {}) {
      const t = spawnTool(cmd, args, { logDir, ...opts });
      tools.push(t);
      return t;
    },
    track(tool) {
      tools.push(tool);
      return tool;
    },
    stopAll() {
      return Promise.all(tools.map((t) => t.stop(3000)));
    },
    logs() {
      return tools.map((t) => `----- ${t.name}\n${t.log()}`).join('\n');
    },
  };
}
