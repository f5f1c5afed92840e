// Generates data/router_caps_parity.json: router RTP capabilities (or the
// error) that the real mediasoup computes for a set of mediaCodecs lists.
// router_caps_test.c checks that braid_ortc_router_caps() gives byte-identical
// JSON (JSON_COMPACT == JSON.stringify) and the same error messages.
//
// Run by hand when moving to a new mediasoup release (not part of CI, which
// has no mediasoup server package):
//   mkdir /tmp/ms && cd /tmp/ms && npm pack mediasoup@3.27.1 && tar xzf mediasoup-*.tgz
//   npm install --ignore-scripts flatbuffers@25 h264-profile-level-id@2
//   NODE_PATH=/tmp/ms/node_modules node gen_parity.cjs /tmp/ms/package \
//     > data/router_caps_parity.json
'use strict';

const path = require('path');
require('module').Module._initPaths();
const pkg = process.argv[2];
const ortc = require(path.join(pkg, 'node/lib/ortc.js'));
const version = require(path.join(pkg, 'package.json')).version;

const opus = { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 };
const vp8 = { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 };
const vp9 = { kind: 'video', mimeType: 'video/VP9', clockRate: 90000 };
const h264 = (plid) => ({
  kind: 'video',
  mimeType: 'video/h264',
  clockRate: 90000,
  parameters: {
    'packetization-mode': 1,
    'profile-level-id': plid,
    'level-asymmetry-allowed': 1,
    'x-google-start-bitrate': 1000,
  },
});
const multiopus = (channels, parameters) => ({
  kind: 'audio',
  mimeType: 'audio/multiopus',
  clockRate: 48000,
  channels,
  parameters,
});
const audio = (mimeType, clockRate, extra = {}) => ({ kind: 'audio', mimeType, clockRate, ...extra });

// [name, mediaCodecs, braidError (only where our message differs on purpose)]
const cases = [
  ['demo_default', [
    opus,
    { ...vp8, parameters: { 'x-google-start-bitrate': 1000 } },
    { ...vp9, parameters: { 'profile-id': 2, 'x-google-start-bitrate': 1000 } },
    h264('4d0032'),
    h264('42e01f'),
  ]],
  ['empty', []],
  ['not_an_array', { foo: 1 }],
  ['preferred_pt_honoured', [{ ...opus, preferredPayloadType: 111 }, { ...vp8, preferredPayloadType: 96 }]],
  ['preferred_pt_leaves_pool', [{ ...opus, preferredPayloadType: 101 }, vp8, vp9]],
  ['preferred_pt_zero', [{ ...opus, preferredPayloadType: 0 }]],
  ['preferred_pt_falsy_string', [{ ...opus, preferredPayloadType: '' }]],
  ['preferred_pt_null', [{ ...opus, preferredPayloadType: null }]],
  ['preferred_pt_string', [{ ...opus, preferredPayloadType: '100' }]],
  ['preferred_pt_object', [{ ...opus, preferredPayloadType: {} }]],
  ['duplicate_pt_configured', [{ ...opus, preferredPayloadType: 100 }, { ...vp8, preferredPayloadType: 100 }]],
  ['duplicate_pt_with_rtx', [vp8, { ...vp9, preferredPayloadType: 101 }]],
  ['duplicate_static_pt', [audio('audio/CN', 8000), audio('audio/CN', 16000)]],
  ['static_pts', [audio('audio/PCMU', 8000), audio('audio/PCMA', 8000), audio('audio/G722', 8000),
    audio('audio/CN', 8000), audio('audio/telephone-event', 8000), audio('audio/iLBC', 8000)]],
  ['static_pt_overridden', [audio('audio/PCMU', 8000, { preferredPayloadType: 5 })]],
  ['unsupported_codec', [{ kind: 'video', mimeType: 'video/foo', clockRate: 90000 }]],
  ['unsupported_h265', [{ kind: 'video', mimeType: 'video/H265', clockRate: 90000 }]],
  ['unsupported_clock_rate', [{ ...vp8, clockRate: 48000 }]],
  ['opus_without_channels', [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000 }]],
  ['opus_channels_string', [{ ...opus, channels: '2' }]],
  ['missing_mime_type', [{ kind: 'audio', clockRate: 48000 }]],
  ['empty_mime_type', [{ ...opus, mimeType: '' }]],
  ['mime_type_number', [{ ...opus, mimeType: 42 }]],
  ['invalid_mime_type', [{ ...opus, mimeType: 'foo/bar' }]],
  ['mime_type_without_subtype', [{ ...opus, mimeType: 'video/' }]],
  ['missing_clock_rate', [{ kind: 'video', mimeType: 'video/VP8' }]],
  ['clock_rate_string', [{ ...vp8, clockRate: '90000' }]],
  ['codec_not_object', ['video/VP8']],
  ['codec_null', [null]],
  ['param_boolean', [{ ...vp8, parameters: { foo: true } }]],
  ['param_null', [{ ...vp8, parameters: { foo: null } }]],
  ['param_object', [{ ...vp8, parameters: { foo: { a: 1 } } }]],
  ['param_array', [{ ...vp8, parameters: { foo: [1, [2, null], 'x'] } }]],
  ['apt_string', [{ ...vp8, parameters: { apt: '101' } }]],
  ['apt_number_kept', [{ ...vp8, parameters: { apt: 101 } }]],
  ['parameters_not_object', [{ ...vp8, parameters: 'x' }]],
  ['parameters_array', [{ ...vp8, parameters: ['a', 7] }]],
  ['param_types_kept', [{ ...vp8, parameters: { a: '1', b: 1, c: 1.5, d: '' } }]],
  ['param_override_in_place', [{ ...h264('42e01f'), parameters: { foo: 'bar', 'level-asymmetry-allowed': 0 } }]],
  ['mime_type_case', [{ kind: 'video', mimeType: 'AUDIO/OPUS', clockRate: 48000, channels: 2 },
    { kind: 'video', mimeType: 'video/vp8', clockRate: 90000 }]],
  ['video_channels_dropped', [{ ...vp8, channels: 2 }]],
  ['rtcp_feedback_ignored', [{ ...vp8, rtcpFeedback: [{ type: 'foo', parameter: 'bar' }] }]],
  ['rtcp_feedback_not_array', [{ ...vp8, rtcpFeedback: 'nack' }]],
  ['rtcp_feedback_missing_type', [{ ...vp8, rtcpFeedback: [{ parameter: 'pli' }] }]],
  ['rtcp_feedback_not_object', [{ ...vp8, rtcpFeedback: ['nack'] }]],
  ['multiopus_51', [multiopus(6, { channel_mapping: '0,4,1,2,3,5', num_streams: 4, coupled_streams: 2 })]],
  ['multiopus_all', [multiopus(4, { num_streams: 2, coupled_streams: 2 }),
    multiopus(6, { num_streams: 4, coupled_streams: 2 }),
    multiopus(8, { channel_mapping: '0,6,1,2,3,4,5,7', num_streams: 5, coupled_streams: 3 })]],
  ['multiopus_streams_string', [multiopus(6, { num_streams: '4', coupled_streams: 2 })]],
  ['multiopus_wrong_streams', [multiopus(6, { num_streams: 5, coupled_streams: 3 })]],
  ['multiopus_missing_params', [multiopus(6, undefined)]],
  ['av1', [{ kind: 'video', mimeType: 'video/AV1', clockRate: 90000 }]],
  ['pool_full', Array.from({ length: 16 }, () => vp8)],
  ['pool_exhausted', Array.from({ length: 17 }, () => vp8)],
  ['pool_exhausted_audio', Array.from({ length: 33 }, () => opus)],
  ['configured_pt_from_tail', [{ ...opus, preferredPayloadType: 96 }, ...Array.from({ length: 15 }, () => vp8), opus]],
];

const out = { mediasoup: version, cases: [] };
for (const [name, mediaCodecs, braidError] of cases) {
  const entry = { name, mediaCodecs: JSON.parse(JSON.stringify(mediaCodecs)) };
  try {
    // Pass a clone: mediasoup normalises its input in place.
    const caps = ortc.generateRouterRtpCapabilities(JSON.parse(JSON.stringify(mediaCodecs)));
    entry.caps = JSON.stringify(caps);
  } catch (error) {
    entry.error = error.message;
    if (braidError) entry.braidError = braidError;
  }
  out.cases.push(entry);
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
