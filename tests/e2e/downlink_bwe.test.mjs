// Bandwidth estimation towards a receiver (issue 7): a Chromium publisher
// sends simulcast (mediasoup-demo's three VP8 webcam layers of a 1280x720
// camera: 320, 640 and 1280 wide) to a media daemon on a
// "host" of its own (a network namespace on a bridge the test makes,
// netns.mjs); a Chromium subscriber consumes it. The daemon's send-side
// estimate of the path to the subscriber (its TWCC feedback; probes on the
// probator stream) picks the layer the subscriber gets:
//   - on a clean path it receives the top layer;
//   - with the daemon's media egress limited to 300 kbit/s (tbf; the kernels
//     here have no netem) it falls to the lowest layer, told by
//     consumerLayersChanged and downlinkBwe (legacy dialect), and keeps
//     decoding;
//   - when the limit goes it climbs back to the top layer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { IP, run, tbf, tbfClear } from './lib/netns.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { DEMO_WEBCAM_ENCODINGS, events, framesByPeer, openPeer, pageLogs, produceVideo,
         waitConsumers } from './lib/demo.mjs';

let c;
let browser;
let media; // {ns, dev, ip}: the daemon's media link

// The daemon's host (a network namespace on the test net's bridge, where
// Redis and the controller are reached) gets a second link of its own to
// this namespace, a veth pair on a /30, and the daemon sends and receives
// media only there: it binds and announces that address, and a routing
// rule sends everything from it back over that link. A tbf on the link's
// far end then limits the media towards the browsers and nothing else (the
// daemon's Redis heartbeats must not queue behind video, or the
// controllers would judge it dead). The pair goes with the namespace.
async function addMediaLink() {
  const ns = c.net.hosts[0].name;
  const used = await run([IP, '-4', '-o', 'addr', 'show']);
  let n;
  do n = 1 + Math.floor(Math.random() * 250); while (used.includes(`10.254.${n}.`));
  const here = `bwa${c.net.id}`;
  const there = `bwb${c.net.id}`;
  await run([IP, 'link', 'add', here, 'type', 'veth', 'peer', 'name', there, 'netns', ns]);
  await run([IP, 'addr', 'add', `10.254.${n}.1/30`, 'dev', here]);
  await run([IP, 'link', 'set', here, 'up']);
  await run([IP, '-n', ns, 'addr', 'add', `10.254.${n}.2/30`, 'dev', there]);
  await run([IP, '-n', ns, 'link', 'set', there, 'up']);
  await run([IP, '-n', ns, 'rule', 'add', 'from', `10.254.${n}.2`, 'lookup', '100']);
  await run([IP, '-n', ns, 'route', 'add', 'default', 'via', `10.254.${n}.1`, 'dev', there, 'table', '100']);
  return { ns, dev: there, ip: `10.254.${n}.2` };
}

before(async () => {
  c = await startCluster('downlink_bwe', { net: { hosts: 1 }, mediads: 0, controllers: 1 });
  media = await addMediaLink();
  await c.startMediad({ host: 0, args: ['--ip', media.ip, '--announced-ip', media.ip] });
  browser = await launchBrowser();
});

after(async () => {
  if (media) await tbfClear(media).catch(() => {});
  await browser?.close();
  await c?.stop();
});

// The daemon's media towards the browsers limited to `rate`, or not.
const limitMedia = (rate) => tbf({ ns: media.ns, dev: media.dev, rate, burst: 4096, latency: '100ms' });
const unlimitMedia = () => tbfClear(media);

// The subscriber's decoded video of the publisher: {width, frames}.
async function video(sub, pubId) {
  const s = (await framesByPeer(sub))[pubId];
  return { width: s?.frameWidth ?? 0, frames: s?.framesDecoded ?? 0 };
}

// Waits until the subscriber decodes frames `ok(width)` accepts, and keeps
// decoding (frames grow by 10 at that width).
async function waitWidth(sub, pubId, ok, what, timeoutMs) {
  let base = null;
  return waitFor(async () => {
    const v = await video(sub, pubId);
    if (!ok(v.width)) {
      base = null;
      return false;
    }
    if (base === null) base = v.frames;
    return v.frames >= base + 10 ? v : false;
  }, { timeoutMs, what, detail: async () => JSON.stringify(await video(sub, pubId)) });
}

test('the subscriber gets the layer its downlink carries, and climbs back when it widens',
  { timeout: 150000 }, async () => {
    const roomId = randomId(8);
    let pub;
    let sub;
    try {
      pub = await openPeer(browser, c.controllers[0], { roomId, displayName: 'publisher', query: { forceVP8: 'true' } });
      await produceVideo(pub, { video: { width: 1280, height: 720 }, encodings: DEMO_WEBCAM_ENCODINGS });
      sub = await openPeer(browser, c.controllers[0],
                           { roomId, displayName: 'subscriber', produce: false, query: { dialect: 'legacy' } });
      await waitConsumers(sub, [pub.peerId]);

      // A clean path: the top layer.
      const top = await waitWidth(sub, pub.peerId, (w) => w >= 1200, 'the top layer (1280 wide)', 40000);

      // 300 kbit/s out of the daemon's host: the lowest layer.
      const limitedAt = Date.now();
      await limitMedia('300kbit');
      const low = await waitWidth(sub, pub.peerId, (w) => w > 0 && w <= 400, 'the lowest layer (320 wide)', 30000);
      // downlinkBwe saw it: an estimate under the limit, below what the
      // subscriber's consumers want.
      const bwe = (await events(sub, 'downlinkBwe')).filter((e) => e.at >= limitedAt).map((e) => e.data);
      const last = bwe.find((d) => d.availableBitrate < 450000 && d.desiredBitrate > d.availableBitrate);
      assert.ok(last, `a downlinkBwe under the limit: ${JSON.stringify(bwe)}`);
      const down = await events(sub, 'consumerLayersChanged');
      assert.ok(down.some((e) => e.data.spatialLayer === 0), `consumerLayersChanged to layer 0: ${JSON.stringify(down)}`);

      // The limit goes: back to the top layer.
      await unlimitMedia();
      await waitWidth(sub, pub.peerId, (w) => w >= top.width, 'the top layer again', 45000);
      const up = (await events(sub, 'consumerLayersChanged')).slice(down.length);
      assert.ok(up.some((e) => e.data.spatialLayer === 2), `consumerLayersChanged back up: ${JSON.stringify(up)}`);
      console.log(`# widths: top ${top.width}, limited ${low.width}; downlinkBwe: ${JSON.stringify(bwe)}`);
    } catch (err) {
      console.log(pageLogs([pub, sub]));
      throw err;
    }
  });
