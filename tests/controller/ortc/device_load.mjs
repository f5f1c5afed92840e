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

// What a Chrome 13x browser reports (RTCRtpReceiver.getCapabilities() as
// mediasoup-client's Chrome111 handler turns it into RtpCapabilities, with
// sdp-transform's number/string typing of fmtp values).
const videoFb = [
  { type: 'goog-remb' }, { type: 'transport-cc' }, { type: 'ccm', parameter: 'fir' },
  { type: 'nack' }, { type: 'nack', parameter: 'pli' },
];
const video = (pt, mimeType, parameters = {}) => [
  { kind: 'video', mimeType, preferredPayloadType: pt, clockRate: 90000, parameters, rtcpFeedback: videoFb },
  { kind: 'video', mimeType: 'video/rtx', preferredPayloadType: pt + 1, clockRate: 90000,
    parameters: { apt: pt }, rtcpFeedback: [] },
];
const h264 = (plid) => ({ 'level-asymmetry-allowed': 1, 'packetization-mode': 1, 'profile-level-id': plid });
const browserCaps = () => ({
  codecs: [
    { kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: 111, clockRate: 48000, channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 }, rtcpFeedback: [{ type: 'transport-cc' }] },
    { kind: 'audio', mimeType: 'audio/G722', preferredPayloadType: 9, clockRate: 8000, channels: 1 },
    { kind: 'audio', mimeType: 'audio/PCMU', preferredPayloadType: 0, clockRate: 8000, channels: 1 },
    ...video(96, 'video/VP8'),
    ...video(98, 'video/VP9', { 'profile-id': 0 }),
    ...video(100, 'video/VP9', { 'profile-id': 2 }),
    ...video(102, 'video/H264', h264('42001f')),
    ...video(104, 'video/H264', h264('42e01f')),
    ...video(106, 'video/H264', h264('4d001f')),
    ...video(45, 'video/AV1'),
  ],
  headerExtensions: [
    { kind: 'audio', uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', preferredId: 1 },
    { kind: 'audio', uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', preferredId: 2 },
    { kind: 'audio', uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', preferredId: 3 },
    { kind: 'audio', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 4 },
    { kind: 'video', uri: 'urn:ietf:params:rtp-hdrext:toffset', preferredId: 14 },
    { kind: 'video', uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', preferredId: 2 },
    { kind: 'video', uri: 'urn:3gpp:video-orientation', preferredId: 13 },
    { kind: 'video', uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', preferredId: 3 },
    { kind: 'video', uri: 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay', preferredId: 12 },
    { kind: 'video', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 4 },
    { kind: 'video', uri: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id', preferredId: 10 },
    { kind: 'video', uri: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id', preferredId: 11 },
    { kind: 'video', uri: 'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension', preferredId: 8 },
  ],
});

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
