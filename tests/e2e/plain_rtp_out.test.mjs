// RTP out of a room to a recorder: a Chromium peer sends audio and video;
// a broadcaster with the router's RTP capabilities consumes both through
// two plain transports (no comedia, no rtcp-mux: the recorder's ports are
// given with connect({ip, port, rtcpPort})); FFmpeg receives with an SDP
// the test builds from consumer.rtpParameters and the ports, and records
// ten seconds to a file; ffprobe shows an opus and a VP8 stream of about
// ten seconds. The consumers keep the router's payload types.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { randomId, startCluster } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { BroadcasterApi } from './lib/bcast_api.mjs';
import { openPeer, pageLogs } from './lib/demo.mjs';
import {
  checkMediaTools, ffmpegRecordArgs, ffprobeStreams, freeUdpPortPairs, sdpFromConsumers, toolScope, waitUdpBound,
} from './lib/media_tools.mjs';

let c;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  checkMediaTools();
  c = await startCluster('plain_rtp_out', { controllers: 1, mediads: 1 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

test('a browser\'s audio and video recorded by FFmpeg through plain consumers', { timeout: 90000 }, wrap(async () => {
  const roomId = randomId(8);
  const page = await openPeer(browser, c.controllers[0], { roomId, displayName: 'speaker' });
  const tools = toolScope(path.join(c.dir, 'tools', 'record'));
  try {
    const api = new BroadcasterApi(c.controllers[0], roomId);
    const caps = await api.ok('GET', '');
    const routerCaps = caps.routerRtpCapabilities ?? caps;
    const bid = `recorder-${randomId(6)}`;
    const created = await api.createBroadcaster(bid, { displayName: 'Recorder', device: { name: 'FFmpeg' },
                                                       rtpCapabilities: routerCaps });
    const speaker = created.peers.find((p) => p.id === page.peerId);
    assert.ok(speaker, JSON.stringify(created));
    const byKind = Object.fromEntries(speaker.producers.map((p) => [p.kind, p.id]));
    assert.ok(byKind.audio && byKind.video, JSON.stringify(speaker));

    // One plain transport per stream: ffmpeg binds each m= line's port and
    // port + 1 (RTCP).
    const [aPorts, vPorts] = await freeUdpPortPairs(2);
    const audioT = await api.createPlain(bid, { comedia: false, rtcpMux: false });
    const videoT = await api.createPlain(bid, { comedia: false, rtcpMux: false });
    const audio = await api.consume(bid, audioT.id, byKind.audio);
    const video = await api.consume(bid, videoT.id, byKind.video);
    const opus = routerCaps.codecs.find((x) => x.mimeType === 'audio/opus');
    const vp8 = routerCaps.codecs.find((x) => x.mimeType === 'video/VP8');
    assert.equal(audio.rtpParameters.codecs[0].payloadType, opus.preferredPayloadType);
    assert.equal(video.rtpParameters.codecs[0].payloadType, vp8.preferredPayloadType);

    const sdpPath = path.join(tools.logDir, 'recorder.sdp');
    fs.writeFileSync(sdpPath, sdpFromConsumers({ consumers: [
      { kind: 'audio', port: aPorts.port, rtcpPort: aPorts.rtcpPort, rtpParameters: audio.rtpParameters },
      { kind: 'video', port: vPorts.port, rtcpPort: vPorts.rtcpPort, rtpParameters: video.rtpParameters },
    ] }));
    const out = path.join(tools.logDir, 'recording.webm');
    const rec = tools.start('ffmpeg', ffmpegRecordArgs({ sdpPath, out, seconds: 10 }), { name: 'ffmpeg-record' });
    await waitUdpBound(aPorts.port, { what: 'the recorder' });
    await waitUdpBound(vPorts.port, { what: 'the recorder' });

    // Media flows once the transports know where to send; the video consumer
    // asks the browser for a key frame until one comes.
    await api.connect(bid, audioT.id, { ip: '127.0.0.1', port: aPorts.port, rtcpPort: aPorts.rtcpPort });
    await api.connect(bid, videoT.id, { ip: '127.0.0.1', port: vPorts.port, rtcpPort: vPorts.rtcpPort });
    const exit = await rec.exited;
    assert.equal(exit.code, 0, `ffmpeg exited with ${JSON.stringify(exit)}`);

    const streams = await ffprobeStreams(out);
    const a = streams.find((s) => s.codec_type === 'audio');
    const v = streams.find((s) => s.codec_type === 'video');
    assert.equal(a?.codec_name, 'opus', JSON.stringify(streams));
    assert.equal(v?.codec_name, 'vp8', JSON.stringify(streams));
    for (const s of [a, v]) assert.ok(s.duration > 8.5 && s.duration < 11.5, `duration: ${JSON.stringify(s)}`);
    assert.ok(v.width > 0 && v.height > 0);
    await api.deleteBroadcaster(bid);
  } catch (err) {
    console.log(`${tools.logs()}\n${pageLogs([page])}`);
    throw err;
  } finally {
    await tools.stopAll();
    await page.close();
  }
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
