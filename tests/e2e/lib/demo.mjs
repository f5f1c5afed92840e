// Helpers for the tests that drive the demo page (controller/www/app.js) in
// Chromium: open a peer, wait for it to join and produce, read what it
// receives (window.braidDemo), and print the pages' console logs on failure.
import { waitFor } from './cluster.mjs';

// Opens the demo page of `ctl` as one peer. query: extra page URL flags
// (object), e.g. {dialect: 'legacy', forceVP9: 'true'}. Resolves once the page
// has joined; with `produce` (default) once it has an audio and a video
// producer. A page-side error (state.error) fails at once, with its message.
export async function openPeer(browser, ctl, { roomId, displayName, query = {}, produce = true, timeoutMs = 30000 }) {
  const q = new URLSearchParams({ roomId, ...(displayName ? { displayName } : {}), ...query });
  if (!produce) q.set('produce', 'false');
  const page = await browser.newPage(`${ctl.httpUrl}/?${q}`);
  page.displayName = displayName;
  try {
    await waitFor(async () => {
      const s = await page.evaluate(() => ({ joined: window.braidDemo?.joined, error: window.braidDemo?.error,
                                             producers: window.braidDemo?.producerList().map((p) => p.kind) }));
      if (s.error) throw Object.assign(new Error(`page ${displayName ?? ''}: ${s.error}`), { fatal: true });
      return s.joined && (!produce || (s.producers.includes('audio') && s.producers.includes('video')));
    }, { timeoutMs, what: `${displayName ?? 'the page'} to join${produce ? ' and produce audio + video' : ''}` });
    page.peerId = await page.evaluate(() => window.braidDemo.peerId);
  } catch (err) {
    err.message += `\n${pageLogs([page])}`;
    await page.close().catch(() => {});
    throw err;
  }
  return page;
}

// The console of each page, for failure messages.
export function pageLogs(pages) {
  return pages.filter(Boolean).map((p) =>
    `----- console of page ${p.displayName ?? ''} (${p.peerId ?? '?'}) -----\n${(p.logs ?? []).join('\n') || '(empty)'}`,
  ).join('\n');
}

// Runs fn(); on failure prints the console of every page (and rethrows).
export async function withPageLogs(pages, fn) {
  try {
    return await fn();
  } catch (err) {
    console.log(pageLogs(typeof pages === 'function' ? pages() : pages));
    throw err;
  }
}

export const state = (page) => page.evaluate(() => ({
  peerId: window.braidDemo.peerId, status: window.braidDemo.status, error: window.braidDemo.error,
  peers: [...window.braidDemo.peers.keys()], producers: window.braidDemo.producerList(),
  consumers: window.braidDemo.consumerList(),
}));

export const consumers = (page) => page.evaluate(() => window.braidDemo.consumerList());
export const videoStats = (page) => page.evaluate(() => window.braidDemo.inboundVideoStats());
export const audioStats = (page) => page.evaluate(() => window.braidDemo.inboundAudioStats());
export const events = (page, method) =>
  page.evaluate((m) => window.braidDemo.events.filter((e) => !m || e.method === m), method);

// Waits until `page` has an open audio and video consumer from each of
// `peerIds` (and throws, listing what it has, after timeoutMs).
export async function waitConsumers(page, peerIds, { timeoutMs = 20000, kinds = ['audio', 'video'] } = {}) {
  return waitFor(async () => {
    const cs = await consumers(page);
    const ok = peerIds.every((id) => kinds.every((k) => cs.some((c) => c.peerId === id && c.kind === k && !c.closed)));
    return ok ? cs : false;
  }, { timeoutMs, what: `${page.displayName ?? page.peerId} to consume ${kinds.join('+')} of ${peerIds.join(', ')}`,
       detail: async () => JSON.stringify(await consumers(page)) });
}

// framesDecoded per remote peer (the video consumer of that peer).
export async function framesByPeer(page) {
  const out = {};
  for (const s of await videoStats(page)) out[s.peerId] = s;
  return out;
}

// Waits until each of peerIds' video at `page` has decoded at least
// `minFrames` more frames than in `base` (framesByPeer output; {} = from 0).
export async function waitFramesGrow(page, peerIds, base = {}, { minFrames = 10, timeoutMs = 15000 } = {}) {
  let last = {};
  return waitFor(async () => {
    last = await framesByPeer(page);
    return peerIds.every((id) => (last[id]?.framesDecoded ?? 0) >= (base[id]?.framesDecoded ?? 0) + minFrames) && last;
  }, { timeoutMs, intervalMs: 250,
       what: `${page.displayName ?? page.peerId} to decode ${minFrames}+ new frames of ${peerIds.join(', ')}`,
       detail: () => JSON.stringify({ base, last }) });
}

// ---- DataChannels (window.braidDemo.dataProducers / dataConsumers / messages) --

// The page's data producers and consumers, as plain objects.
export const dataState = (page) => page.evaluate(() => {
  const d = window.braidDemo;
  const sp = (x) => (x.sctpStreamParameters ? { ...x.sctpStreamParameters } : null);
  return {
    chatProducerId: d.chatProducerId ?? null,
    dataProducers: [...(d.dataProducers?.values() ?? [])].map((x) => ({
      id: x.id, label: x.label, protocol: x.protocol, readyState: x.readyState, closed: x.closed,
      sctpStreamParameters: sp(x), appData: x.appData })),
    dataConsumers: [...(d.dataConsumers?.values() ?? [])].map((x) => ({
      id: x.id, dataProducerId: x.dataProducerId, label: x.label, protocol: x.protocol, readyState: x.readyState,
      closed: x.closed, sctpStreamParameters: sp(x), peerId: x.appData?.peerId ?? null })),
  };
});

// Every message the page received on a data consumer, without the payload:
// {dataConsumerId, dataProducerId, peerId, label, type ('string' | 'binary'
// | what it is), text (strings only), len, at}.
export const dataMessages = (page) => page.evaluate(() => (window.braidDemo.messages ?? []).map((m) => ({
  dataConsumerId: m.dataConsumerId, dataProducerId: m.dataProducerId, peerId: m.peerId, label: m.label, at: m.at,
  type: typeof m.data === 'string' ? 'string' : m.data instanceof ArrayBuffer ? 'binary'
    : Object.prototype.toString.call(m.data),
  text: typeof m.data === 'string' ? m.data : undefined,
  len: typeof m.data === 'string' ? m.data.length : (m.data?.byteLength ?? m.data?.size ?? null),
})));

// Waits until the page's chat data producer exists and is open; returns its id.
export async function waitChatProducer(page, { timeoutMs = 20000 } = {}) {
  return waitFor(async () => {
    const s = await dataState(page);
    const p = s.dataProducers.find((x) => x.id === s.chatProducerId);
    return p?.readyState === 'open' && p.id;
  }, { timeoutMs, what: `${page.displayName ?? page.peerId}'s chat data producer to be open`,
       detail: async () => JSON.stringify(await dataState(page)) });
}

// Waits until the page has one open data consumer of each of dataProducerIds;
// returns {dataProducerId: dataConsumer}.
export async function waitDataConsumers(page, dataProducerIds, { timeoutMs = 20000 } = {}) {
  return waitFor(async () => {
    const s = await dataState(page);
    const out = {};
    for (const id of dataProducerIds) {
      const dc = s.dataConsumers.find((x) => x.dataProducerId === id && !x.closed && x.readyState === 'open');
      if (!dc) return false;
      out[id] = dc;
    }
    return out;
  }, { timeoutMs, what: `${page.displayName ?? page.peerId} to have open data consumers of ${dataProducerIds.join(', ')}`,
       detail: async () => JSON.stringify(await dataState(page)) });
}

// mediasoup-demo's webcam encodings (VP8/H264 simulcast), for a 1280x720
// camera: 320x180, 640x360 and 1280x720.
export const DEMO_WEBCAM_ENCODINGS = Object.freeze([
  { scaleResolutionDownBy: 4, maxBitrate: 500000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 1000000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 5000000, scalabilityMode: 'L1T3' },
]);

// Replaces the page's demo video producer with one of a camera track at
// `video` constraints sent with `encodings` (codec: the router's first video
// codec, VP8). contentHint 'detail' keeps the resolution when the CPU is
// short (the frame rate gives instead).
export async function produceVideo(page, { video, encodings }) {
  return page.evaluate(async ({ video, encodings }) => {
    const d = window.braidDemo;
    await d.closeProducer('video'); // stops the demo's 640x480 track too
    const [track] = (await navigator.mediaDevices.getUserMedia({ video })).getVideoTracks();
    track.contentHint = 'detail';
    const p = await d.sendTransport.produce({
      track, encodings, codecOptions: { videoGoogleStartBitrate: 1000 }, appData: { source: 'video' },
    });
    window.layersProducer = p;
    return { id: p.id, mime: p.rtpParameters.codecs[0].mimeType, encodings: p.rtpParameters.encodings,
             settings: track.getSettings() };
  }, { video, encodings });
}
