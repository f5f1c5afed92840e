// Layers of simulcast and SVC consumers with real Chromium pages on the demo
// page (issue 7): setConsumerPreferredLayers moves what a subscriber gets,
// which its decoder shows as a different frame width, and the subscriber
// hears consumerLayersChanged for each move.
//  (a) A VP8 simulcast publisher with mediasoup-demo's three encodings
//      (scaleResolutionDownBy 4/2/1, L1T3) of a 1280x720 fake camera (at
//      640x480 Chromium sends only two) and one subscriber: preferred spatial
//      layer 0, then 2: the decoded width follows the publisher's lowest,
//      then highest layer, with consumerLayersChanged {spatialLayer: 0}, then
//      {spatialLayer: 2}.
//  (b) A VP9 SVC publisher (the demo's L3T3_KEY) and two subscribers that
//      prefer spatial layers 0 and 2: they decode two different sizes from
//      the one stream.
// The demo page has no call for setConsumerPreferredLayers: the test sends
// it as a protoo notification on the page's own socket (kept by an init
// script), as mediasoup-demo's app does in the current dialect.
// Cluster: redis, one controller, one media daemon.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { consumers, DEMO_WEBCAM_ENCODINGS, events, openPeer, pageLogs, produceVideo, videoStats } from './lib/demo.mjs';

let c;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('layers', { controllers: 1, mediads: 1 });
  browser = await launchBrowser();
  // Runs in every page before its scripts: keeps each WebSocket it opens
  // (protoo-client's among them) in window.braidSockets.
  await browser.context.addInitScript(() => {
    const Native = window.WebSocket;
    window.braidSockets = [];
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        window.braidSockets.push(this);
      }
    };
  });
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

// setConsumerPreferredLayers from the page, as a protoo notification.
async function setPreferredLayers(page, consumerId, spatialLayer) {
  await page.evaluate(({ consumerId, spatialLayer }) => {
    const ws = window.braidSockets.find((s) => s.protocol === 'protoo' && s.readyState === 1);
    if (!ws) throw new Error('no open protoo socket in the page');
    ws.send(JSON.stringify({ notification: true, method: 'setConsumerPreferredLayers',
                             data: { consumerId, spatialLayer } }));
  }, { consumerId, spatialLayer });
}

// The frame sizes the publisher's video producer sends now (one per
// simulcast layer or one for SVC), from its outbound-rtp stats.
async function sentLayers(page, producerId) {
  return page.evaluate(async (id) => {
    const p = window.layersProducer?.id === id ? window.layersProducer
      : [...window.braidDemo.producers.values()].find((x) => x.id === id);
    const report = await p.getStats();
    return [...report.values()].filter((s) => s.type === 'outbound-rtp').map((s) => ({
      rid: s.rid, width: s.frameWidth ?? 0, height: s.frameHeight ?? 0, fps: s.framesPerSecond ?? 0,
      scalabilityMode: s.scalabilityMode, qualityLimitationReason: s.qualityLimitationReason,
      targetBitrate: s.targetBitrate, active: s.active }));
  }, producerId);
}

// The subscriber's video consumer of producerId, with its decoder's stats.
async function videoOf(page, producerId) {
  const cs = await consumers(page);
  const cons = cs.find((x) => x.producerId === producerId && x.kind === 'video' && !x.closed);
  if (!cons) return null;
  const st = (await videoStats(page)).find((s) => s.consumerId === cons.id);
  return st ? { ...st, id: cons.id } : null;
}

// The spatialLayer of every consumerLayersChanged the page got for consumerId.
async function layerEvents(page, consumerId) {
  return (await events(page, 'consumerLayersChanged'))
    .filter((e) => e.data.consumerId === consumerId).map((e) => e.data.spatialLayer);
}

async function withPages(pages, fn) {
  try {
    return await fn();
  } catch (err) {
    console.log(pageLogs(pages));
    throw err;
  } finally {
    await Promise.all(pages.map((p) => (p.isClosed() ? null : p.close().catch(() => {}))));
  }
}

test('(a) VP8 simulcast: preferred spatial layer 0 then 2 moves the decoded width, with consumerLayersChanged',
     { timeout: 150000 }, wrap(async () => {
  const roomId = randomId(8);
  const pages = [];
  await withPages(pages, async () => {
    const pub = await openPeer(browser, c.controllers[0], { roomId, displayName: 'pub', query: { forceVP8: 'true' } });
    pages.push(pub);
    const sub = await openPeer(browser, c.controllers[0], { roomId, displayName: 'sub', produce: false });
    pages.push(sub);
    // mediasoup-demo's webcam encodings, at 1280x720.
    const prod = await produceVideo(pub, { video: { width: 1280, height: 720 }, encodings: DEMO_WEBCAM_ENCODINGS });
    assert.equal(prod.mime.toLowerCase(), 'video/vp8');
    assert.equal(prod.encodings.length, 3, 'three simulcast encodings');
    assert.equal(prod.settings.width, 1280, `the camera gives 1280x720: ${JSON.stringify(prod.settings)}`);

    // Preferred layers default to the highest: the subscriber decodes the
    // publisher's top layer once Chromium sends all three.
    let last = {};
    const state = async () => ({ sent: await sentLayers(pub, prod.id), got: await videoOf(sub, prod.id) });
    const widths = (sent) => sent.map((l) => l.width).filter((w) => w > 0).sort((a, b) => a - b);
    const atTop = await waitFor(async () => {
      last = await state();
      const w = widths(last.sent);
      return w.length === 3 && last.got?.framesDecoded > 0 && last.got.frameWidth === w[2] && last;
    }, { timeoutMs: 45000, intervalMs: 500, what: 'the subscriber to decode the top of three layers',
         detail: () => JSON.stringify(last) });
    const consumerId = atTop.got.id;
    console.log(`sent layers ${JSON.stringify(atTop.sent.map((l) => `${l.rid}:${l.width}x${l.height}`))}, ` +
                `decoding ${atTop.got.frameWidth}x${atTop.got.frameHeight}`);
    await waitFor(async () => (await layerEvents(sub, consumerId)).includes(2),
                  { timeoutMs: 10000, what: 'consumerLayersChanged {spatialLayer: 2} at the start',
                    detail: async () => JSON.stringify(await events(sub, 'consumerLayersChanged')) });

    // Spatial layer 0: the lowest layer's width, and its event.
    const before0 = (await layerEvents(sub, consumerId)).length;
    await setPreferredLayers(sub, consumerId, 0);
    await waitFor(async () => {
      last = await state();
      const w = widths(last.sent);
      return w.length >= 1 && last.got?.frameWidth === w[0] && w[0] < atTop.got.frameWidth;
    }, { timeoutMs: 20000, intervalMs: 250, what: 'the decoded width to fall to the lowest layer',
         detail: () => JSON.stringify(last) });
    await waitFor(async () => (await layerEvents(sub, consumerId)).slice(before0).includes(0),
                  { timeoutMs: 10000, what: 'consumerLayersChanged {spatialLayer: 0}',
                    detail: async () => JSON.stringify(await events(sub, 'consumerLayersChanged')) });
    const low = last.got;

    // Back to 2: the top layer's width again, and its event.
    const before2 = (await layerEvents(sub, consumerId)).length;
    await setPreferredLayers(sub, consumerId, 2);
    await waitFor(async () => {
      last = await state();
      const w = widths(last.sent);
      return last.got?.frameWidth === w[w.length - 1] && last.got.frameWidth > low.frameWidth;
    }, { timeoutMs: 20000, intervalMs: 250, what: 'the decoded width to rise to the top layer',
         detail: () => JSON.stringify(last) });
    await waitFor(async () => (await layerEvents(sub, consumerId)).slice(before2).includes(2),
                  { timeoutMs: 10000, what: 'consumerLayersChanged {spatialLayer: 2}',
                    detail: async () => JSON.stringify(await events(sub, 'consumerLayersChanged')) });
    const evs = (await events(sub, 'consumerLayersChanged')).filter((e) => e.data.consumerId === consumerId);
    for (const e of evs) {
      assert.deepEqual(Object.keys(e.data).sort(), ['consumerId', 'spatialLayer', 'temporalLayer']);
      assert.ok(e.data.spatialLayer === null || Number.isInteger(e.data.temporalLayer));
    }
    console.log(`decoded widths: top ${atTop.got.frameWidth}, lowest ${low.frameWidth}, top again ${last.got.frameWidth}; ` +
                `layer events ${JSON.stringify(evs.map((e) => [e.data.spatialLayer, e.data.temporalLayer]))}`);
  });
}));

test('(b) VP9 SVC (L3T3_KEY): subscribers preferring spatial layers 0 and 2 decode two sizes',
     { timeout: 150000 }, wrap(async () => {
  const roomId = randomId(8);
  const pages = [];
  await withPages(pages, async () => {
    // The demo page sends VP9 as one L3T3_KEY encoding when forced to.
    const pub = await openPeer(browser, c.controllers[0], { roomId, displayName: 'pub', query: { forceVP9: 'true' } });
    pages.push(pub);
    const low = await openPeer(browser, c.controllers[0], { roomId, displayName: 'low', produce: false });
    pages.push(low);
    const high = await openPeer(browser, c.controllers[0], { roomId, displayName: 'high', produce: false });
    pages.push(high);
    const prod = (await pub.evaluate(() => window.braidDemo.producerList())).find((p) => p.kind === 'video');
    const params = await pub.evaluate((id) => window.braidDemo.producers.get(id).rtpParameters, prod.id);
    assert.equal(params.codecs[0].mimeType.toLowerCase(), 'video/vp9');
    assert.equal(params.encodings.length, 1);
    assert.equal(params.encodings[0].scalabilityMode, 'L3T3_KEY');

    let last = {};
    const cons = await waitFor(async () => {
      const l = await videoOf(low, prod.id);
      const h = await videoOf(high, prod.id);
      last = { l, h };
      return l && h && l.framesDecoded > 0 && h.framesDecoded > 0 && { l, h };
    }, { timeoutMs: 30000, intervalMs: 500, what: 'both subscribers to decode the SVC stream',
         detail: () => JSON.stringify(last) });
    await setPreferredLayers(low, cons.l.id, 0);
    await setPreferredLayers(high, cons.h.id, 2);
    const sizes = await waitFor(async () => {
      const l = await videoOf(low, prod.id);
      const h = await videoOf(high, prod.id);
      const sent = await sentLayers(pub, prod.id);
      last = { l, h, sent };
      return l?.frameWidth > 0 && h?.frameWidth > l.frameWidth && (await layerEvents(low, l.id)).includes(0) && last;
    }, { timeoutMs: 30000, intervalMs: 500, what: 'the two subscribers to decode different sizes',
         detail: () => JSON.stringify(last) });
    assert.match(sizes.l.codec.toLowerCase(), /vp9/);
    assert.match(sizes.h.codec.toLowerCase(), /vp9/);
    // Both keep decoding at their sizes.
    const f = { l: sizes.l.framesDecoded, h: sizes.h.framesDecoded };
    await waitFor(async () => {
      const l = await videoOf(low, prod.id);
      const h = await videoOf(high, prod.id);
      last = { l, h };
      return l.framesDecoded > f.l + 10 && h.framesDecoded > f.h + 10 && l.frameWidth < h.frameWidth;
    }, { timeoutMs: 15000, intervalMs: 500, what: 'both to keep decoding', detail: () => JSON.stringify(last) });
    console.log(`SVC: sent ${JSON.stringify(sizes.sent)}; low decodes ${sizes.l.frameWidth}x${sizes.l.frameHeight}, ` +
                `high ${sizes.h.frameWidth}x${sizes.h.frameHeight}; low's layer events ` +
                `${JSON.stringify(await layerEvents(low, sizes.l.id))}, high's ${JSON.stringify(await layerEvents(high, sizes.h.id))}`);
  });
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
