// Self-test of tests/e2e/lib/media_tools.mjs, without the SFU: each helper
// drives real FFmpeg / GStreamer tool to tool on 127.0.0.1.
//  (a) makeMediaFile -> ffprobe: H.264 + AAC of the asked duration;
//  (b) the exact mediasoup-demo ffmpeg.sh tee command -> an ffmpeg recorder
//      built with sdpFromConsumers from mediasoup-style consumer rtpParameters
//      -> ~10 s of Opus + VP8 in a webm, read back with ffprobeStreams;
//  (c) for each SRTP suite, gstSrtpSendArgs -> gstSrtpRecvArgs decodes frames
//      (and the plain RTP variant);
//  (d) a wrong key decodes nothing (srtpdec rejects every packet), so the
//      SFU tests built on these helpers can fail.
// Missing tools fail the test (checkMediaTools), they never skip it.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  SRTP_SUITES, checkMediaTools, countFrames, ffmpegRecordArgs, ffmpegTeeArgs, ffprobeStreams, freeUdpPortPairs,
  freeUdpPorts, gstRtpRecvArgs, gstRtpSendArgs, gstSrtpRecvArgs, gstSrtpSendArgs, makeMediaFile, randomSrtpKey,
  sdpFromConsumers, spawnTool, srtpDrops, startGstReceiver, waitForFrames, waitUdpBound,
} from './lib/media_tools.mjs';

let dir;
let failed = false;
const ssrc = () => randomInt(1, 2 ** 32 - 1);

// Runs fn(start) where start(cmd, args, opts) spawns a tool into this test's
// log dir; every tool is stopped at the end, and their logs printed if fn
// throws.
function withTools(name, fn) {
  return async (t) => {
    const tools = [];
    const logDir = path.join(dir, name.replace(/\W+/g, '_'));
    fs.mkdirSync(logDir, { recursive: true });
    const start = (cmd, args, opts = {}) => {
      const t = spawnTool(cmd, args, { logDir, ...opts });
      tools.push(t);
      return t;
    };
    const t0 = Date.now();
    try {
      await fn({ start, logDir, tools, t });
    } catch (err) {
      failed = true;
      process.stderr.write(`\n===== ${name} failed: tool logs =====\n` +
                           tools.map((t) => `----- ${t.name}\n${t.log()}`).join('\n') + '\n===== end =====\n');
      throw err;
    } finally {
      await Promise.all(tools.map((t) => t.stop(3000)));
      t.diagnostic(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  };
}

before(() => {
  checkMediaTools();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'braid-e2e-media-tools-'));
});

after(() => {
  if (!dir) return;
  if (failed) process.stderr.write(`kept ${dir} (logs and media) for inspection\n`);
  else fs.rmSync(dir, { recursive: true, force: true });
});

let mediaFile;

test('(a) makeMediaFile makes an H.264 + AAC mp4 of the asked duration', { timeout: 30000 },
  withTools('make_media_file', async () => {
    mediaFile = await makeMediaFile(dir, { seconds: 6 });
    const streams = await ffprobeStreams(mediaFile);
    const v = streams.find((s) => s.codec_type === 'video');
    const a = streams.find((s) => s.codec_type === 'audio');
    assert.equal(streams.length, 2, JSON.stringify(streams));
    assert.equal(v?.codec_name, 'h264', JSON.stringify(streams));
    assert.equal(a?.codec_name, 'aac', JSON.stringify(streams));
    for (const s of [v, a]) assert.ok(Math.abs(s.duration - 6) < 0.2, `duration ~6 s: ${JSON.stringify(s)}`);
    assert.ok(v.packets >= 170, `~180 video frames: ${JSON.stringify(v)}`);
  }));

test('(b) the demo ffmpeg tee command -> an SDP recorder from consumer rtpParameters: ~10 s of opus + vp8',
  { timeout: 60000 }, withTools('ffmpeg_tee_record', async ({ start, logDir, t }) => {
    assert.ok(mediaFile, 'needs the media file of test (a)');
    const [ap, vp] = await freeUdpPortPairs(2);
    const audioSsrc = randomInt(1, 2 ** 31); // fits ffmpeg's signed ssrc option as is
    const videoSsrc = randomInt(2 ** 31, 2 ** 32 - 1); // needs ffmpegTeeArgs' signed conversion
    // As a mediasoup consumer of an ffmpeg.sh producer would answer.
    const audioRtp = {
      mid: '0',
      codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2,
                 parameters: { minptime: 10, useinbandfec: 1, 'sprop-stereo': 1 }, rtcpFeedback: [] }],
      headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1, encrypt: false, parameters: {} }],
      encodings: [{ ssrc: audioSsrc }],
      rtcp: { cname: 'media-tools', reducedSize: true },
    };
    const videoRtp = {
      mid: '1',
      codecs: [
        { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, parameters: {},
          rtcpFeedback: [{ type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' },
                         { type: 'ccm', parameter: 'fir' }] },
        { mimeType: 'video/rtx', payloadType: 102, clockRate: 90000, parameters: { apt: 101 }, rtcpFeedback: [] },
      ],
      headerExtensions: [],
      encodings: [{ ssrc: videoSsrc, rtx: { ssrc: ssrc() } }],
      rtcp: { cname: 'media-tools', reducedSize: true },
    };
    const sdp = sdpFromConsumers({ ip: '127.0.0.1', consumers: [
      { kind: 'audio', port: ap.port, rtcpPort: ap.rtcpPort, rtpParameters: audioRtp },
      { kind: 'video', port: vp.port, rtcpPort: vp.rtcpPort, rtpParameters: videoRtp },
    ] });
    assert.match(sdp, /a=rtpmap:100 opus\/48000\/2\r\n/);
    assert.match(sdp, /a=rtpmap:101 VP8\/90000\r\n/);
    assert.throws(() => sdpFromConsumers({ consumers: [{ port: 5000, rtcpPort: 6000, rtpParameters: videoRtp }] }),
                  /port \+ 1/);
    const sdpPath = path.join(logDir, 'recv.sdp');
    fs.writeFileSync(sdpPath, sdp);
    const out = path.join(logDir, 'recording.webm');

    const rec = start('ffmpeg', ffmpegRecordArgs({ sdpPath, out, seconds: 10 }), { name: 'ffmpeg-record' });
    await waitUdpBound(ap.port, { what: 'the recorder to bind its audio port' });
    await waitUdpBound(vp.port, { what: 'the recorder to bind its video port' });
    const send = start('ffmpeg', ffmpegTeeArgs({
      mediaFile,
      audio: { ssrc: audioSsrc, pt: 100, ip: '127.0.0.1', port: ap.port, rtcpPort: ap.rtcpPort },
      video: { ssrc: videoSsrc, pt: 101, ip: '127.0.0.1', port: vp.port, rtcpPort: vp.rtcpPort },
    }), { name: 'ffmpeg-tee' });
    const t0 = Date.now();
    let timer;
    const r = await Promise.race([rec.exited, new Promise((res) => { timer = setTimeout(() => res('timeout'), 30000); })]);
    clearTimeout(timer);
    assert.notEqual(r, 'timeout', 'the recorder stops by itself after 10 s of media');
    assert.equal(rec.exitCode, 0, 'the recorder exits 0');
    assert.ok(send.alive, `the sender still runs: ${send.log()}`);
    t.diagnostic(`the recorder ran ${((Date.now() - t0) / 1000).toFixed(1)} s after the sender started`);

    const streams = await ffprobeStreams(out);
    const a = streams.find((s) => s.codec_type === 'audio');
    const v = streams.find((s) => s.codec_type === 'video');
    assert.equal(a?.codec_name, 'opus', JSON.stringify(streams));
    assert.equal(v?.codec_name, 'vp8', JSON.stringify(streams));
    for (const s of [a, v]) assert.ok(s.duration > 9 && s.duration < 11, `~10 s: ${JSON.stringify(s)}`);
    assert.ok(v.packets > 250, `~300 video frames: ${JSON.stringify(v)}`);
    assert.ok(a.packets > 400, `~500 opus packets: ${JSON.stringify(a)}`);
    assert.equal(v.width, 320, JSON.stringify(v));
    assert.equal(a.channels, 2, JSON.stringify(a));
  }));

for (const suite of Object.keys(SRTP_SUITES)) {
  test(`(c) GStreamer SRTP ${suite}: sender -> receiver decodes > 30 frames`, { timeout: 30000 },
    withTools(`srtp_${suite}`, async ({ start, logDir, tools }) => {
      const [port] = await freeUdpPorts(1);
      const keyBase64 = randomSrtpKey(suite);
      assert.equal(Buffer.from(keyBase64, 'base64').length, SRTP_SUITES[suite].keyLength);
      const s = ssrc();
      const recv = await startGstReceiver(gstSrtpRecvArgs({ suite, keyBase64, port, pt: 101, ssrc: s }),
                                          { name: 'gst-srtp-recv', logDir });
      tools.push(recv);
      const send = start('gst-launch-1.0', gstSrtpSendArgs({ suite, keyBase64, ip: '127.0.0.1', port, ssrc: s, pt: 101 }),
                         { name: 'gst-srtp-send' });
      const n = await waitForFrames(recv, 31, { timeoutMs: 15000 });
      assert.ok(send.alive, 'the sender still runs');
      assert.ok(n > 30, `${n} frames decoded`);
      assert.equal(srtpDrops(recv).auth, 0, 'no packet failed authentication');
    }));
}

test('(c) GStreamer plain RTP: sender -> receiver decodes > 30 frames', { timeout: 30000 },
  withTools('rtp_plain', async ({ start, logDir, tools }) => {
    const [port] = await freeUdpPorts(1);
    const s = ssrc();
    const recv = await startGstReceiver(gstRtpRecvArgs({ port, pt: 101, ssrc: s }), { name: 'gst-rtp-recv', logDir });
    tools.push(recv);
    start('gst-launch-1.0', gstRtpSendArgs({ ip: '127.0.0.1', port, ssrc: s, pt: 101 }), { name: 'gst-rtp-send' });
    const n = await waitForFrames(recv, 31, { timeoutMs: 15000 });
    assert.ok(n > 30, `${n} frames decoded`);
  }));

for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_256_GCM']) {
  test(`(d) GStreamer SRTP ${suite} with a wrong key decodes 0 frames`, { timeout: 30000 },
    withTools(`srtp_wrong_key_${suite}`, async ({ start, logDir, tools }) => {
      const [port] = await freeUdpPorts(1);
      const s = ssrc();
      const recv = await startGstReceiver(
        gstSrtpRecvArgs({ suite, keyBase64: randomSrtpKey(suite), port, pt: 101, ssrc: s }),
        { name: 'gst-srtp-recv', logDir });
      tools.push(recv);
      const send = start('gst-launch-1.0',
        gstSrtpSendArgs({ suite, keyBase64: randomSrtpKey(suite), ip: '127.0.0.1', port, ssrc: s, pt: 101 }),
        { name: 'gst-srtp-send' });
      // Packets do arrive and are rejected: 60 = 2 s of frames at least.
      await waitForRejected(recv, 60);
      assert.ok(send.alive, 'the sender still runs');
      assert.ok(recv.alive, 'the receiver still runs');
      assert.equal(countFrames(recv), 0, 'no frame decoded with the wrong key');
    }));
}

async function waitForRejected(recv, min) {
  const deadline = Date.now() + 15000;
  while (srtpDrops(recv).auth < min) {
    if (Date.now() > deadline) {
      throw new Error(`only ${srtpDrops(recv).auth} packets rejected by srtpdec within 15 s`);
    }
    if (!recv.alive) throw new Error(`the receiver exited (code ${recv.exitCode})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
