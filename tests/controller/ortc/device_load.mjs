// Loads router RTP capabilities produced by braid-ortc-caps into the real
// mediasoup-client (Device with its FakeHandler, in Node) and checks that the
// client accepts them and can send and receive opus, VP8, VP9 and H264.
//
//   node device_load.mjs ROUTER_CAPS.json
//
// Exit status: 0 when every check passes, 1 otherwise -- also when
// mediasoup-client is not installed (`npm ci` at the root): a test that skips
// itself would hide the failure.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { chromeCaps } from './chrome_caps.mjs';

let mediasoupClient, FakeHandler, fakeParameters, clientOrtc;
try {
  mediasoupClient = await import('mediasoup-client');
  ({ FakeHandler } = await import('mediasoup-client/handlers/FakeHandler'));
  fakeParameters = await import('mediasoup-client/fakeParameters');
  clientOrtc = await import('mediasoup-client/ortc');
} catch (error) {
  console.error(`FAIL: mediasoup-client not available (${error.message}); run npm ci`);
  process.exit(1);
}

// What Chromium reports as its capabilities (chrome_caps.mjs, shared with the
// producer/consumer parity generator).
const browserCaps = chromeCaps;

const routerRtpCapabilities = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// 1. The caps are already in the normalised shape the client produces: its
//    validateAndNormalizeRtpCapabilities() adds or changes nothing.
const normalised = structuredClone(routerRtpCapabilities);
clientOrtc.validateAndNormalizeRtpCapabilities(normalised);
assert.deepStrictEqual(normalised, routerRtpCapabilities);
assert.equal(JSON.stringify(normalised), JSON.stringify(routerRtpCapabilities));

// 2. Device.load() accepts them.
const device = new mediasoupClient.Device({
  handlerFactory: FakeHandler.createFactory({
    generateNativeRtpCapabilities: browserCaps,
    generateLocalDtlsParameters: fakeParameters.generateLocalDtlsParameters,
  }),
});
await device.load({ routerRtpCapabilities });
assert.equal(device.loaded, true);
assert.equal(device.canProduce('audio'), true);
assert.equal(device.canProduce('video'), true);

// 3. The receive capabilities hold every demo codec, with the router's PTs.
const caps = device.rtpCapabilities;
const routerPt = new Map(routerRtpCapabilities.codecs.map((c) => [c.preferredPayloadType, c]));
for (const codec of caps.codecs) {
  const r = routerPt.get(codec.preferredPayloadType);
  assert.ok(r, `PT ${codec.preferredPayloadType} is not a router PT`);
  assert.equal(r.mimeType.toLowerCase(), codec.mimeType.toLowerCase());
}
for (const mimeType of ['audio/opus', 'video/VP8', 'video/VP9', 'video/H264']) {
  assert.ok(caps.codecs.some((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase()),
    `device.rtpCapabilities lacks ${mimeType}`);
}
assert.ok(caps.codecs.some((c) => c.mimeType.toLowerCase() === 'video/rtx'), 'no RTX');
assert.ok(caps.headerExtensions.some((e) => e.uri === 'urn:ietf:params:rtp-hdrext:sdes:mid'));

// 4. A send transport can be created with the loaded device.
const transport = device.createSendTransport(fakeParameters.generateTransportRemoteParameters());
transport.close();

console.log(`device_load: ok (${caps.codecs.length} codecs, ${caps.headerExtensions.length} header extensions)`);
