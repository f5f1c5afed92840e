// A real call: three headless Chromium pages on the demo page join one room,
// each sending audio and video; every page receives the audio and video of
// the two others and decodes the video (framesDecoded grows between two
// samples a few seconds apart). Run for each video codec (forceVP8,
// forceVP9, forceH264) in each dialect of the mediasoup-demo protocol
// (current, legacy): six rooms, one browser, one cluster (redis, one
// controller, two media daemons, so peers land on both nodes).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, sleep, startCluster } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { audioStats, framesByPeer, openPeer, pageLogs, waitConsumers, waitFramesGrow } from './lib/demo.mjs';

let c;
let browser;
let chromiumVideoCodecs = [];
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('browser_call', { controllers: 1, mediads: 2 });
  browser = await launchBrowser();
  // What this Chromium can send, to tell a missing codec in the browser from
  // one missing in the router.
  const page = await browser.context.newPage();
  chromiumVideoCodecs = await page.evaluate(() => RTCRtpSender.getCapabilities('video').codecs.map((x) => x.mimeType));
  await page.close();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

async function call(t, codec, dialect) {
  if (!chromiumVideoCodecs.some((m) => m.toLowerCase() === `video/${codec.toLowerCase()}`)) {
    assert.fail(`${codec} is not offered by this Chromium (${chromiumVideoCodecs.join(', ')}): ` +
                `the force${codec} run cannot test anything. Install a Chromium build with ${codec}.`);
  }
  const roomId = randomId(8);
  const query = { [`force${codec}`]: 'true', ...(dialect === 'legacy' ? { dialect: 'legacy' } : {}) };
  const pages = [];
  const t0 = Date.now();
  try {
    // Join at the same time, as people do.
    const names = ['alice', 'bob', 'carol'];
    const opened = await Promise.allSettled(names.map((displayName) =>
      openPeer(browser, c.controllers[0], { roomId, displayName, query })));
    for (const r of opened) if (r.status === 'fulfilled') pages.push(r.value);
    const failed = opened.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    t.diagnostic(`3 peers joined and producing after ${Date.now() - t0} ms`);

    const ids = pages.map((p) => p.peerId);
    for (const page of pages) {
      const others = ids.filter((id) => id !== page.peerId);
      await waitConsumers(page, others, { timeoutMs: 20000 });
    }
    // Names shown on the tiles: each page shows the two others by name.
    for (const page of pages) {
      const captions = await page.$$eval('#tiles figure:not(#me) figcaption', (els) => els.map((e) => e.textContent).sort());
      assert.deepEqual(captions, pages.filter((p) => p !== page).map((p) => p.displayName).sort(),
                       `tile names at ${page.displayName}`);
    }

    // Video: decoded, in the forced codec, and still flowing seconds later.
    const first = [];
    for (const page of pages) {
      const others = ids.filter((id) => id !== page.peerId);
      first.push(await waitFramesGrow(page, others, {}, { minFrames: 5, timeoutMs: 20000 }));
    }
    const ports = new Set();
    for (const page of pages) for (const x of await page.evaluate(() => window.braidDemo.selectedPairs())) ports.add(x.remote);
    t.diagnostic(`media node(s): ${[...ports].map((r) => `mediad-${c.mediads.findIndex((m) => `${m.rtcPort}` === r?.split(':')[1])} (${r})`).join(', ')}`);
    await sleep(3000);
    for (const [i, page] of pages.entries()) {
      const others = ids.filter((id) => id !== page.peerId);
      const second = await waitFramesGrow(page, others, first[i], { minFrames: 10, timeoutMs: 10000 });
      for (const id of others) {
        const s = second[id];
        assert.equal(s.codec.toLowerCase(), `video/${codec.toLowerCase()}`, `${page.displayName} receives ${id} in ${codec}`);
        assert.ok(s.frameWidth > 0 && s.frameHeight > 0, `${page.displayName}: ${id}'s video has a size (${s.frameWidth}x${s.frameHeight})`);
      }
      t.diagnostic(`${page.displayName}: ${others.map((id) => `${id} ${first[i][id].framesDecoded}→${second[id].framesDecoded} frames ` +
                   `${second[id].frameWidth}x${second[id].frameHeight}`).join(', ')}`);
    }

    // Audio: packets and samples keep arriving from both others.
    for (const page of pages) {
      const others = ids.filter((id) => id !== page.peerId);
      const a1 = await audioStats(page);
      await sleep(1000);
      const a2 = await audioStats(page);
      for (const id of others) {
        const s1 = a1.find((s) => s.peerId === id);
        const s2 = a2.find((s) => s.peerId === id);
        assert.ok(s1 && s2, `${page.displayName} has an audio consumer of ${id}`);
        assert.ok(s2.packetsReceived > s1.packetsReceived,
                  `${page.displayName}: audio packets from ${id} keep arriving (${s1.packetsReceived}→${s2.packetsReceived})`);
        assert.ok(s2.totalSamplesReceived > 0, `${page.displayName}: audio samples from ${id} are decoded`);
      }
    }
    // Scores: the node rates each producer's streams; the owner hears
    // producerScore and the consumers consumerScore.
    for (const page of pages) {
      const ev = await page.evaluate(() => window.braidDemo.events.map((e) => ({ method: e.method, data: e.data })));
      const ps = ev.filter((e) => e.method === 'producerScore');
      assert.ok(ps.length >= 2, `${page.displayName} got producerScore for its producers`);
      for (const e of ps) {
        assert.ok(Array.isArray(e.data.score) && e.data.score.length >= 1, 'producerScore lists streams');
        for (const s of e.data.score) assert.ok(s.score >= 0 && s.score <= 10 && s.ssrc > 0 && s.encodingIdx >= 0);
      }
      const cs = ev.filter((e) => e.method === 'consumerScore');
      assert.ok(cs.length >= 2, `${page.displayName} got consumerScore for its consumers`);
      for (const e of cs) assert.ok(e.data.score.producerScores.length >= 1 || dialect === 'legacy');
    }
    t.diagnostic(`${codec}/${dialect} call checked in ${Date.now() - t0} ms`);
  } catch (err) {
    console.log(pageLogs(pages));
    throw err;
  } finally {
    await Promise.all(pages.map((p) => p.close().catch(() => {})));
  }
}

for (const dialect of ['current', 'legacy']) {
  for (const codec of ['VP8', 'VP9', 'H264']) {
    test(`three peers call with ${codec} (${dialect} dialect): each decodes the two others`, { timeout: 75000 },
         wrap((t) => call(t, codec, dialect)));
  }
}

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
