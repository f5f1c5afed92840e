// A real browser (Debian's Chromium, headless) on the demo page: the send
// transport it creates through Braid connects — ICE-lite answers its checks
// (over UDP, or over ICE-TCP with forceTcp=true) and the DTLS handshake
// completes with the node's certificate — and the node reports the SRTP
// suite that DTLS negotiated.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';

let c;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('browser_transport', { controllers: 1, mediads: 1 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

async function connects(t, query) {
  const roomId = randomId(8);
  const page = await browser.newPage(`${c.controllers[0].httpUrl}/?roomId=${roomId}${query}`);
  try {
    await waitFor(() => page.evaluate(() => window.braidDemo?.joined === true),
                  { timeoutMs: 20000, what: 'the page to join' });
    await waitFor(() => page.evaluate(() => window.braidDemo.producerState === 'connected'),
                  { timeoutMs: 20000, what: 'the send transport to connect' });
    const room = await c.braidctlJson(['room', roomId]);
    assert.equal(room.peers.length, 1);
  } catch (err) {
    console.log(page.logs.join('\n'));
    throw err;
  } finally {
    await page.close();
  }
}

test('the demo page joins and its send transport connects over UDP (ICE + DTLS)', { timeout: 60000 }, wrap(async (t) => {
  await connects(t, '');
  const line = await c.mediads[0].proc.waitForLine(/DTLS connected, SRTP (\S+)/, 5000);
  t.diagnostic(`SRTP suite: ${line[1]}`);
  assert.equal(line[1], 'AEAD_AES_256_GCM', 'Chromium and Braid agree on the strongest suite');
}));

test('with forceTcp=true it connects over ICE-TCP', { timeout: 60000 }, wrap(async (t) => {
  await connects(t, '&forceTcp=true');
  // The node hash is rewritten every second: wait for the next beat.
  const key = c.key(`node:${c.mediads[0].nodeId}`);
  await waitFor(async () => Number((await c.redis.hgetall(key)).tcp_accepted ?? 0) >= 1,
                { timeoutMs: 3000, what: 'the node to count an accepted ICE-TCP connection' });
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
