// FFmpeg into a room, as mediasoup-demo's broadcasters/ffmpeg.sh does it:
// the seed example of the plain-transport issue. A Chromium peer is in the
// room first; then, through the broadcaster HTTP API, a broadcaster with two
// plain transports (rtcpMux false, comedia true), an opus producer (payload
// type 101, SSRC 11111111, sprop-stereo 1) and a VP8 producer (payload type
// 102, SSRC 22222222); then FFmpeg's `-f tee` command (the script's, word
// for word) loops a file to their RTP and RTCP ports. The browser gets
// newPeer and newConsumer, decodes video frames of the file's size and
// plays audio. Also: the daemon learned the tuples (comedia); and gstreamer.sh's
// route (current API: peerId, direction, join, its rtpbin pipeline from the
// same file) brings a second picture.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { BroadcasterApi, SEED, opusParams, vp8Params } from './lib/bcast_api.mjs';
import { audioStats, openPeer, pageLogs, waitConsumers, waitFramesGrow } from './lib/demo.mjs';
import { checkMediaTools, ffmpegTeeArgs, makeMediaFile, toolScope } from './lib/media_tools.mjs';
import { NodeCommander } from './lib/node_cmd.mjs';

let c;
let browser;
let mediaFile;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  checkMediaTools();
  c = await startCluster('plain_ffmpeg_in', { controllers: 1, mediads: 1 });
  browser = await launchBrowser();
  mediaFile = await makeMediaFile(path.join(c.dir, 'media'), { seconds: 6, width: 320, height: 240 });
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

// Runs fn(tools) and stops every tool; prints their logs and the page's
// console when fn throws.
async function withTools(name, pages, fn) {
  const tools = toolScope(path.join(c.dir, 'tools', name));
  try {
    return await fn(tools);
  } catch (err) {
    console.log(`${tools.logs()}\n${pageLogs(pages)}`);
    throw err;
  } finally {
    await tools.stopAll();
  }
}

test('the seed example: ffmpeg.sh\'s plain transports and tee command reach a browser', { timeout: 90000 }, wrap(async () => {
  const roomId = randomId(8);
  const page = await openPeer(browser, c.controllers[0], { roomId, displayName: 'viewer', produce: false });
  try {
    await withTools('seed', [page], async (tools) => {
      const api = new BroadcasterApi(c.controllers[0], roomId);
      await api.ok('GET', '');
      const bid = randomId(32);
      await api.ok('POST', '/broadcasters', { id: bid, displayName: 'Broadcaster', device: { name: 'FFmpeg' } });
      const audioT = await api.ok('POST', `/broadcasters/${bid}/transports`, { type: 'plain', comedia: true, rtcpMux: false });
      const videoT = await api.ok('POST', `/broadcasters/${bid}/transports`, { type: 'plain', comedia: true, rtcpMux: false });
      await api.ok('POST', `/broadcasters/${bid}/transports/${audioT.id}/producers`, { kind: 'audio', rtpParameters: opusParams() });
      await api.ok('POST', `/broadcasters/${bid}/transports/${videoT.id}/producers`,
                   { kind: 'video', rtpParameters: vp8Params({ rtcpFeedback: [{ type: 'goog-remb' }] }) });

      tools.start('ffmpeg', ffmpegTeeArgs({
        mediaFile,
        audio: { ...SEED.audio, ip: audioT.ip, port: audioT.port, rtcpPort: audioT.rtcpPort },
        video: { ...SEED.video, ip: videoT.ip, port: videoT.port, rtcpPort: videoT.rtcpPort },
      }), { name: 'ffmpeg-tee' });

      await waitConsumers(page, [bid], { timeoutMs: 20000 });
      const frames = await waitFramesGrow(page, [bid], {}, { minFrames: 30, timeoutMs: 30000 });
      assert.equal(frames[bid].frameWidth, 320);
      assert.equal(frames[bid].frameHeight, 240);
      const a0 = (await audioStats(page)).find((s) => s.peerId === bid);
      await waitFor(async () => {
        const a = (await audioStats(page)).find((s) => s.peerId === bid);
        return a && a.totalSamplesReceived > (a0?.totalSamplesReceived ?? 0) + 48000 && a.packetsReceived > 50;
      }, { timeoutMs: 15000, what: 'audio samples from the broadcaster' });

      // comedia learnt each remote tuple from ffmpeg's first packets (RTP and
      // RTCP: rtcpMux is off).
      const node = await NodeCommander.open(c, c.mediads[0]);
      for (const t of [audioT, videoT]) {
        const [s] = await node.stats('transport', t.id);
        assert.equal(s.type, 'plain-rtp-transport');
        assert.equal(s.comedia, true);
        assert.equal(s.rtcpMux, false);
        assert.equal(s.tuple.localPort, t.port);
        assert.equal(s.tuple.remoteIp, '127.0.0.1');
        assert.ok(s.tuple.remotePort > 0, JSON.stringify(s));
        assert.ok(s.bytesReceived > 0, JSON.stringify(s));
      }
      await api.ok('DELETE', `/broadcasters/${bid}`);
    });
  } finally {
    await page.close();
  }
}));

// gst-launch-1.0 arguments of mediasoup-demo's broadcasters/gstreamer.sh:
// rtpbin, the file demuxed and re-encoded to VP8 and Opus, RTP and RTCP of
// each to its transport's two ports.
function gstreamerShArgs({ mediaFile, audio, video }) {
  return ['rtpbin', 'name=rtpbin',
    'filesrc', `location=${mediaFile}`, '!', 'qtdemux', 'name=demux',
    'demux.video_0', '!', 'queue', '!', 'decodebin', '!', 'videoconvert', '!',
    'vp8enc', 'target-bitrate=1000000', 'deadline=1', 'cpu-used=4', '!',
    'rtpvp8pay', `pt=${video.pt}`, `ssrc=${video.ssrc}`, 'picture-id-mode=2', '!', 'rtpbin.send_rtp_sink_0',
    'rtpbin.send_rtp_src_0', '!', 'udpsink', `host=${video.ip}`, `port=${video.port}`,
    'rtpbin.send_rtcp_src_0', '!', 'udpsink', `host=${video.ip}`, `port=${video.rtcpPort}`, 'sync=false', 'async=false',
    'demux.audio_0', '!', 'queue', '!', 'decodebin', '!', 'audioresample', '!', 'audioconvert', '!', 'opusenc', '!',
    'rtpopuspay', `pt=${audio.pt}`, `ssrc=${audio.ssrc}`, '!', 'rtpbin.send_rtp_sink_1',
    'rtpbin.send_rtp_src_1', '!', 'udpsink', `host=${audio.ip}`, `port=${audio.port}`,
    'rtpbin.send_rtcp_src_1', '!', 'udpsink', `host=${audio.ip}`, `port=${audio.rtcpPort}`, 'sync=false', 'async=false'];
}

test('gstreamer.sh: peerId, direction, join, then its rtpbin pipeline', { timeout: 90000 }, wrap(async () => {
  const roomId = randomId(8);
  const page = await openPeer(browser, c.controllers[0], { roomId, displayName: 'viewer', produce: false });
  try {
    await withTools('gstreamer', [page], async (tools) => {
      const api = new BroadcasterApi(c.controllers[0], roomId);
      await api.ok('GET', '');
      const peerId = randomId(32);
      await api.ok('POST', '/broadcasters', { peerId, displayName: 'GStreamer', device: { name: 'GStreamer', flag: 'gstreamer' } });
      const audioT = await api.ok('POST', `/broadcasters/${peerId}/transports`, { direction: 'producer', comedia: true, rtcpMux: false });
      const videoT = await api.ok('POST', `/broadcasters/${peerId}/transports`, { direction: 'producer', comedia: true, rtcpMux: false });
      await api.ok('POST', `/broadcasters/${peerId}/join`);
      const audio = { ssrc: 1111, pt: 100 };
      const video = { ssrc: 2222, pt: 101 };
      await api.ok('POST', `/broadcasters/${peerId}/transports/${audioT.transportId}/producers`,
                   { kind: 'audio', rtpParameters: opusParams(audio), appData: { source: 'audio' } });
      await api.ok('POST', `/broadcasters/${peerId}/transports/${videoT.transportId}/producers`,
                   { kind: 'video', rtpParameters: vp8Params(video), appData: { source: 'video' } });
      await waitConsumers(page, [peerId], { timeoutMs: 20000 });
      const file = await makeMediaFile(path.join(c.dir, 'media-gst'), { seconds: 10, width: 320, height: 240 });
      tools.start('gst-launch-1.0', gstreamerShArgs({
        mediaFile: file,
        audio: { ...audio, ip: audioT.ip, port: audioT.port, rtcpPort: audioT.rtcpPort },
        video: { ...video, ip: videoT.ip, port: videoT.port, rtcpPort: videoT.rtcpPort },
      }), { name: 'gstreamer-sh' });
      const frames = await waitFramesGrow(page, [peerId], {}, { minFrames: 30, timeoutMs: 20000 });
      assert.equal(frames[peerId].frameWidth, 320);
      await waitFor(async () => {
        const a = (await audioStats(page)).find((s) => s.peerId === peerId);
        return a && a.packetsReceived > 50;
      }, { timeoutMs: 15000, what: 'audio packets from GStreamer' });
      await api.ok('DELETE', `/broadcasters/${peerId}`);
    });
  } finally {
    await page.close();
  }
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
