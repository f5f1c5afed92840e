// SRTP endpoints on plain transports, for each of mediasoup's four crypto
// suites, with real GStreamer (srtpenc / srtpdec) and a Chromium peer:
//  - offerer: GStreamer sends SRTP VP8 (rtcp-mux, comedia) with a key the
//    test chose; the transport is connected with that cryptoSuite and
//    keyBase64; the browser decodes the picture;
//  - answerer: Braid makes the key (the transport's srtpParameters, created
//    with enableSrtp and srtpCryptoSuite); a plain consumer of the browser's
//    camera is sent to GStreamer, which decrypts it with that key and decodes
//    frames.
// A wrong key (GStreamer told another one) decodes nothing: srtpdec rejects
// every packet, so the answerer check can fail.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { BroadcasterApi, vp8Params } from './lib/bcast_api.mjs';
import { openPeer, pageLogs, waitFramesGrow } from './lib/demo.mjs';
import {
  SRTP_SUITES, checkMediaTools, countFrames, freeUdpPorts, gstSrtpRecvArgs, gstSrtpSendArgs, randomSrtpKey,
  srtpDrops, startGstReceiver, toolScope, waitForFrames,
} from './lib/media_tools.mjs';
import { NodeCommander } from './lib/node_cmd.mjs';

let c;
let browser;
let page;
let api;
let routerCaps;
const roomId = randomId(8);
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  checkMediaTools();
  c = await startCluster('plain_srtp', { controllers: 1, mediads: 1 });
  browser = await launchBrowser();
  page = await openPeer(browser, c.controllers[0], { roomId, displayName: 'camera' });
  api = new BroadcasterApi(c.controllers[0], roomId);
  const caps = await api.ok('GET', '');
  routerCaps = caps.routerRtpCapabilities ?? caps;
});

after(async () => {
  await page?.close().catch(() => {});
  await browser?.close();
  await c?.stop();
});

async function withTools(name, fn) {
  const tools = toolScope(path.join(c.dir, 'tools', name));
  try {
    return await fn(tools);
  } catch (err) {
    console.log(`${tools.logs()}\n${pageLogs([page])}`);
    throw err;
  } finally {
    await tools.stopAll();
  }
}

// The browser's camera producer, as the room lists it to a broadcaster.
async function cameraProducer(bid) {
  const created = await api.createBroadcaster(bid, { displayName: bid, device: { name: 'GStreamer' },
                                                     rtpCapabilities: routerCaps });
  const cam = created.peers.find((p) => p.id === page.peerId)?.producers.find((p) => p.kind === 'video');
  assert.ok(cam, JSON.stringify(created));
  return cam.id;
}

assert.deepEqual(Object.keys(SRTP_SUITES).sort(),
                 ['AEAD_AES_128_GCM', 'AEAD_AES_256_GCM', 'AES_CM_128_HMAC_SHA1_32', 'AES_CM_128_HMAC_SHA1_80']);

for (const suite of Object.keys(SRTP_SUITES)) {
  test(`${suite}: GStreamer sends SRTP with its key, the browser decodes it`, { timeout: 60000 }, wrap(async () => {
    await withTools(`offer-${suite}`, async (tools) => {
      const bid = `gst-in-${randomId(6)}`;
      await api.createBroadcaster(bid, { displayName: bid, device: { name: 'GStreamer' } });
      const t = await api.createPlain(bid, { comedia: true, rtcpMux: true, enableSrtp: true, srtpCryptoSuite: suite });
      assert.equal(t.srtpParameters.cryptoSuite, suite);
      assert.equal(t.rtcpPort, undefined);
      const key = randomSrtpKey(suite);
      await api.connect(bid, t.id, { srtpParameters: { cryptoSuite: suite, keyBase64: key } });
      const ssrc = 30000000 + Math.floor(Math.random() * 1e6);
      await api.produce(bid, t.id, 'video', vp8Params({ pt: 102, ssrc }));
      tools.start('gst-launch-1.0', gstSrtpSendArgs({ suite, keyBase64: key, ip: t.ip, port: t.port, ssrc, pt: 102 }),
                  { name: 'gst-srtp-send' });
      const frames = await waitFramesGrow(page, [bid], {}, { minFrames: 30, timeoutMs: 20000 });
      assert.equal(frames[bid].frameWidth, 320);
      const node = await NodeCommander.open(c, c.mediads[0]);
      const [s] = await node.stats('transport', t.id);
      assert.equal(s.tuple.remoteIp, '127.0.0.1');
      await api.deleteBroadcaster(bid);
    });
  }));

  test(`${suite}: Braid makes the key, GStreamer decrypts a consumer`, { timeout: 60000 }, wrap(async () => {
    await withTools(`answer-${suite}`, async (tools) => {
      const bid = `gst-out-${randomId(6)}`;
      const camId = await cameraProducer(bid);
      const t = await api.createPlain(bid, { comedia: false, rtcpMux: true, enableSrtp: true, srtpCryptoSuite: suite });
      const ours = t.srtpParameters;
      assert.equal(ours.cryptoSuite, suite);
      assert.equal(Buffer.from(ours.keyBase64, 'base64').length, SRTP_SUITES[suite].keyLength);
      const consumer = await api.consume(bid, t.id, camId);
      const ssrc = consumer.rtpParameters.encodings[0].ssrc;
      const pt = consumer.rtpParameters.codecs[0].payloadType;
      const [port, wrongPort] = await freeUdpPorts(2);
      // One receiver with our key, one with another: only the first decodes.
      const good = tools.track(await startGstReceiver(gstSrtpRecvArgs({ suite, keyBase64: ours.keyBase64, port, pt, ssrc }),
                                                      { name: 'gst-srtp-recv', logDir: tools.logDir }));
      const res = await api.connect(bid, t.id, { ip: '127.0.0.1', port,
                                                 srtpParameters: { cryptoSuite: suite, keyBase64: randomSrtpKey(suite) } });
      assert.deepEqual(res.srtpParameters, ours, 'same suite: our key stays');
      await waitForFrames(good, 30, { timeoutMs: 20000 });

      // The same stream to a receiver with a wrong key: nothing decodes.
      const bid2 = `gst-bad-${randomId(6)}`;
      await cameraProducer(bid2);
      const t2 = await api.createPlain(bid2, { comedia: false, rtcpMux: true, enableSrtp: true, srtpCryptoSuite: suite });
      const c2 = await api.consume(bid2, t2.id, camId);
      const bad = tools.track(await startGstReceiver(
        gstSrtpRecvArgs({ suite, keyBase64: randomSrtpKey(suite), port: wrongPort, pt,
                          ssrc: c2.rtpParameters.encodings[0].ssrc }),
        { name: 'gst-srtp-recv-wrong-key', logDir: tools.logDir }));
      await api.connect(bid2, t2.id, { ip: '127.0.0.1', port: wrongPort,
                                       srtpParameters: { cryptoSuite: suite, keyBase64: randomSrtpKey(suite) } });
      await waitFor(() => srtpDrops(bad).auth >= 30, { timeoutMs: 15000, what: 'srtpdec to reject packets' });
      assert.equal(countFrames(bad), 0);
      await api.deleteBroadcaster(bid);
      await api.deleteBroadcaster(bid2);
    });
  }));
}

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  await page?.close().catch(() => {});
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
