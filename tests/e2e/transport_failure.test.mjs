// The demo's rule for failed transports (mediasoup-protocol.md §2.2): a peer
// whose transport's DTLS fails is closed. A real Chromium page on the demo
// page gets its connectWebRtcTransport rewritten on the way out (a wrong
// certificate fingerprint), so the node's DTLS handshake fails on the
// fingerprint check; the node publishes transport.state and the controller
// closes the peer's WebSocket with protoo's 4000. The page next door, with
// honest fingerprints, stays.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';

let c;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('transport_failure', { controllers: 1, mediads: 1 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

// Runs in the page before its scripts: flips one hex digit of every
// fingerprint the page sends in connectWebRtcTransport, and records the
// WebSocket close code.
function tamperFingerprints() {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try {
      const msg = JSON.parse(data);
      if (msg.request && msg.method === 'connectWebRtcTransport') {
        for (const fp of msg.data.dtlsParameters.fingerprints) {
          fp.value = (fp.value[0] === 'A' ? 'B' : 'A') + fp.value.slice(1);
        }
        data = JSON.stringify(msg);
      }
    } catch { /* not JSON: leave it */ }
    if (!this.braidWatched) {
      this.braidWatched = true;
      this.addEventListener('close', (e) => { window.braidCloseCode = e.code; });
    }
    return send.call(this, data);
  };
}

test('a peer whose DTLS fails (wrong fingerprint) is closed; others stay', { timeout: 60000 }, wrap(async () => {
  const roomId = randomId(8);
  const url = `${c.controllers[0].httpUrl}/?roomId=${roomId}`;
  const honest = await browser.newPage(`${url}&displayName=honest`);
  const page = await browser.context.newPage();
  page.logs = [];
  page.on('console', (m) => page.logs.push(`${m.type()}: ${m.text()}`));
  try {
    await page.addInitScript(tamperFingerprints);
    await page.goto(`${url}&displayName=tampered`);
    await waitFor(() => page.evaluate(() => window.braidCloseCode === 4000),
                  { timeoutMs: 20000, what: 'the tampered peer to be closed with 4000' });
    await c.controllers[0].proc.waitForLine(/has ICE \S+, DTLS failed: closing the peer/, 5000);
    // The honest peer still has its connection and its media.
    await waitFor(() => honest.evaluate(() => window.braidDemo.joined && window.braidDemo.producerState === 'connected'),
                  { timeoutMs: 20000, what: 'the honest page to stay connected' });
    assert.notEqual(await honest.evaluate(() => window.braidDemo.status), 'closed');
  } catch (err) {
    console.log([...page.logs, ...honest.logs].join('\n'));
    throw err;
  } finally {
    await page.close();
    await honest.close();
  }
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
