// What a new user sees: two peers in a room; the page of one shows the other's
// camera (Chromium's fake camera: a moving pattern with a timer) in a tile
// with the other's name. Saves a screenshot into the build directory
// (<build>/e2e-artifacts/demo_screenshot.png, for humans) and checks from the
// pixels that the remote video is neither blank nor frozen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { buildDir, randomId, sleep, startCluster } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { openPeer, pageLogs, waitConsumers, waitFramesGrow } from './lib/demo.mjs';

let c;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('demo_screenshot', { controllers: 1, mediads: 2 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

// Draws the <video> of the tile into a canvas; returns the luminance mean
// and variance and a small fingerprint of the frame (to compare frames).
function grab(page, selector) {
  return page.evaluate((sel) => {
    const v = document.querySelector(sel);
    if (!v || !v.videoWidth) return { width: 0, height: 0, readyState: v?.readyState ?? -1 };
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(v, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let sum2 = 0;
    const n = data.length / 4;
    const grid = [];
    for (let i = 0; i < data.length; i += 4) {
      const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += y;
      sum2 += y * y;
    }
    // 8x8 block means, to tell two frames apart.
    for (let by = 0; by < 8; by++) {
      for (let bx = 0; bx < 8; bx++) {
        const x = Math.floor(((bx + 0.5) * canvas.width) / 8);
        const y = Math.floor(((by + 0.5) * canvas.height) / 8);
        const i = (y * canvas.width + x) * 4;
        grid.push(Math.round(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]));
      }
    }
    const mean = sum / n;
    return { width: canvas.width, height: canvas.height, mean, variance: sum2 / n - mean * mean, grid,
             paused: v.paused, readyState: v.readyState };
  }, selector);
}

test('one peer\'s page shows the other\'s video in a named tile (screenshot)', { timeout: 60000 }, wrap(async (t) => {
  const roomId = randomId(8);
  const pages = [];
  try {
    pages.push(await openPeer(browser, c.controllers[0], { roomId, displayName: 'Ada' }));
    pages.push(await openPeer(browser, c.controllers[0], { roomId, displayName: 'Grace' }));
    const [ada, grace] = pages;
    await waitConsumers(ada, [grace.peerId]);
    await waitFramesGrow(ada, [grace.peerId], {}, { minFrames: 15, timeoutMs: 20000 });
    const sel = `#peer-${grace.peerId} video`;
    assert.equal(await ada.textContent(`#peer-${grace.peerId} figcaption`), 'Grace', 'the tile carries the name');

    const f1 = await grab(ada, sel);
    await sleep(1500);
    const f2 = await grab(ada, sel);
    t.diagnostic(`remote video ${f2.width}x${f2.height}, luminance mean ${f2.mean?.toFixed(1)} variance ${f2.variance?.toFixed(1)}`);

    const file = path.join(buildDir(), 'e2e-artifacts', 'demo_screenshot.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await ada.screenshot({ path: file, fullPage: true });
    t.diagnostic(`screenshot: ${file}`);

    assert.ok(f2.width > 0 && f2.height > 0, `the remote <video> has frames (${JSON.stringify(f2)})`);
    assert.equal(f2.paused, false, 'the remote <video> plays');
    // Blank (black, grey or one colour) frames have a variance near 0; the
    // fake camera's pattern is in the thousands.
    assert.ok(f2.variance > 100, `the remote video is not blank (luminance variance ${f2.variance})`);
    const moved = f1.grid.filter((v, i) => Math.abs(v - f2.grid[i]) > 8).length;
    assert.ok(moved > 0, `the remote video moves (${moved}/64 sample points changed in 1.5 s)`);
    // And the local preview shows our own camera.
    const local = await grab(ada, '#local');
    assert.ok(local.variance > 100, `the local preview is not blank (variance ${local.variance})`);
  } catch (err) {
    console.log(pageLogs(pages));
    if (pages[0]) {
      const file = path.join(buildDir(), 'e2e-artifacts', 'demo_screenshot-failed.png');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await pages[0].screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`screenshot of the failure: ${file}`);
    }
    throw err;
  } finally {
    await Promise.all(pages.map((p) => p.close().catch(() => {})));
  }
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
