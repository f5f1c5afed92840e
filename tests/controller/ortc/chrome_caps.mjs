// What a Chrome 13x-156 browser reports as its RTP capabilities, in the
// shape mediasoup-client's Chrome111 handler makes of them (with
// sdp-transform's number/string typing of fmtp values): the input of
// mediasoup-client's FakeHandler in gen_prodcons_parity.mjs. Header
// extension ids are Chromium's own (mid 4, abs-send-time 2, transport-cc 3,
// audio level 1, rid 10, rrid 11), which differ from the router's.
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

export const chromeCaps = () => ({
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
