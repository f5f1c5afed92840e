// Braid demo page: a small mediasoup-demo style client built on the unmodified
// npm mediasoup-client and protoo-client. It speaks either dialect of the
// mediasoup-demo room protocol (docs: mediasoup-protocol.md §2): the current
// one (TypeScript demo, Oct 2025 on) by default, the legacy one with
// ?dialect=legacy. Bundled at build time (esbuild).
import * as mediasoupClient from 'mediasoup-client';
import protooClient from 'protoo-client';

const params = new URLSearchParams(location.search);
const flag = (name, def) => (params.has(name) ? params.get(name) !== 'false' : def);
const randomId = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');

const roomId = params.get('roomId') || randomId(8);
const peerId = params.get('peerId') || randomId(8);
const displayName = params.get('displayName') || `peer ${peerId.slice(0, 4)}`;
const produce = flag('produce', true);
const consume = flag('consume', true);
const forceTcp = flag('forceTcp', false);
const forcedCodec = ['VP8', 'VP9', 'H264'].find((c) => flag(`force${c}`, false));
const legacy = params.get('dialect') === 'legacy';
const useDataChannel = flag('datachannel', true);

// What differs between the two dialects (mediasoup-protocol.md §2.7).
const dialect = legacy ? {
  name: 'legacy',
  routerCaps: (r) => r,
  transportRequest: (producing) => ({ forceTcp, producing, consuming: !producing }),
  transportId: (r) => r.id,
  iceParameters: (r) => r,
  produceAppData: (kind) => ({ source: kind === 'audio' ? 'mic' : 'webcam' }),
  producerId: (r) => r.id,
  // Producer pause/resume/close are requests (answered) in the legacy dialect.
  control: (method, data) => peer.request(method, data),
  peerInfo: (p) => ({ peerId: p.id, displayName: p.displayName, device: p.device }),
  newPeer: (d) => d,
  newConsumer: (d) => ({ ...d, consumerId: d.id }),
  streamId: (owner, appData) => `${owner}-${appData?.share ? 'share' : 'mic-webcam'}`,
  // The legacy demo's chat DataProducer: unordered, one retransmission, routed by label.
  chatOptions: { ordered: false, maxRetransmits: 1, label: 'chat', appData: { info: 'my-chat-DataProducer' } },
  dataProducerId: (r) => r.id,
  newDataConsumer: (d) => ({ ...d, dataConsumerId: d.id }),
} : {
  name: 'current',
  routerCaps: (r) => r.routerRtpCapabilities,
  transportRequest: (producing) => ({ forceTcp, appData: { direction: producing ? 'producer' : 'consumer' } }),
  transportId: (r) => r.transportId,
  iceParameters: (r) => r.iceParameters,
  produceAppData: (kind) => ({ source: kind }),
  producerId: (r) => r.producerId,
  // ... and notifications (no answer) in the current one.
  control: (method, data) => peer.notify(method, data),
  peerInfo: (p) => p,
  newPeer: (d) => d.peer,
  newConsumer: (d) => d,
  streamId: (owner, appData) => `${owner}-${appData?.source === 'screensharing' ? 'screensharing' : 'audio-video'}`,
  // The current demo's: ordered, routed by appData.channel.
  chatOptions: { ordered: true, label: 'chat', appData: { channel: 'chat' } },
  dataProducerId: (r) => r.dataProducerId,
  newDataConsumer: (d) => d,
};

if (!params.has('roomId')) {
  params.set('roomId', roomId);
  history.replaceState(null, '', `${location.pathname}?${params}`);
}
document.getElementById('room').textContent = `room ${roomId}${legacy ? ' (legacy dialect)' : ''}`;
document.getElementById('me-name').textContent = `${displayName} (me)`;

// State exposed for tests and the curious: window.braidDemo.
const state = {
  roomId, peerId, dialect: dialect.name, forcedCodec, joined: false, error: null, status: '',
  peers: new Map(), producers: new Map(), consumers: new Map(),
  events: [], // every notification received: {method, data, at}
  sendTransport: null, recvTransport: null, // the mediasoup-client Transports, once made
  // DataChannels (?datachannel=false: none): id -> DataProducer / DataConsumer.
  dataProducers: new Map(), dataConsumers: new Map(),
  chatProducerId: null, // set once the chat DataProducer exists
  // Every message received on any DataConsumer: {dataConsumerId, dataProducerId,
  // peerId, label, data (a string, or an ArrayBuffer for binary), at}.
  messages: [],
  iceParameters: {}, // the server's, per transport direction ('send', 'recv')
};
window.braidDemo = state;

function setStatus(s) {
  state.status = s;
  document.getElementById('status').textContent = s;
}

function fail(err) {
  console.error(err);
  state.error = err.message;
  setStatus(`error: ${err.message}`);
}

const wsQuery = new URLSearchParams({ roomId, peerId });
if (legacy) wsQuery.set('dialect', 'legacy');
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/?${wsQuery}`;
const peer = new protooClient.Peer(new protooClient.WebSocketTransport(wsUrl));
let device, sendTransport, recvTransport;
let chatStarted = false;

peer.on('open', () => join().catch(fail));
// As mediasoup-demo: a lost connection (the server closes it when a media
// daemon of ours died, or the network went) drops every transport and what
// was on them; protoo-client reconnects and 'open' joins again, on a live
// daemon.
peer.on('disconnected', () => {
  setStatus('disconnected');
  for (const t of [sendTransport, recvTransport]) t?.close();
  sendTransport = recvTransport = state.sendTransport = state.recvTransport = null;
  for (const p of [...state.peers.keys()]) removePeer(p);
  state.producers.clear();
  state.consumers.clear();
  state.dataProducers.clear();
  state.dataConsumers.clear();
  state.chatProducerId = null;
  chatStarted = false;
  state.joined = false;
  state.reconnects = (state.reconnects ?? 0) + 1;
});
peer.on('close', () => setStatus('closed'));

async function createTransport(producing) {
  const t = await peer.request('createWebRtcTransport', dialect.transportRequest(producing));
  const opts = {
    id: dialect.transportId(t), iceParameters: t.iceParameters, iceCandidates: t.iceCandidates,
    dtlsParameters: t.dtlsParameters, sctpParameters: t.sctpParameters, iceServers: [],
  };
  const transport = producing ? device.createSendTransport(opts) : device.createRecvTransport(opts);
  const direction = producing ? 'producer' : 'consumer';
  state.iceParameters[transport.direction] = t.iceParameters;
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    peer.request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters })
      .then(callback).catch(errback);
  });
  transport.on('connectionstatechange', (s) => { state[`${direction}State`] = s; });
  if (producing) {
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      peer.request('produce', { transportId: transport.id, kind, rtpParameters, appData })
        .then((r) => callback({ id: dialect.producerId(r) })).catch(errback);
    });
    transport.on('producedata', ({ sctpStreamParameters, label, protocol, appData }, callback, errback) => {
      peer.request('produceData', { transportId: transport.id, sctpStreamParameters, label, protocol, appData })
        .then((r) => callback({ id: dialect.dataProducerId(r) })).catch(errback);
    });
    // As the demo: the chat DataProducer once the send transport is connected.
    transport.on('connectionstatechange', (s) => {
      if (s === 'connected' && useDataChannel && !chatStarted) {
        chatStarted = true;
        enableChat().catch((err) => console.error('chat DataProducer failed', err));
      }
    });
  }
  return transport;
}

async function join() {
  setStatus('joining…');
  device = new mediasoupClient.Device();
  await device.load({ routerRtpCapabilities: dialect.routerCaps(await peer.request('getRouterRtpCapabilities')) });
  state.sendCodecs = device.sendRtpCapabilities.codecs.map((c) => c.mimeType);
  // getUserMedia first: Chromium then exposes host IPs instead of mDNS names.
  let stream = null;
  if (produce) {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    document.getElementById('local').srcObject = stream;
    sendTransport = state.sendTransport = await createTransport(true);
  }
  if (consume) recvTransport = state.recvTransport = await createTransport(false);
  const { peers } = await peer.request('join', {
    displayName,
    device: { flag: 'braid-demo', name: navigator.userAgent.includes('Chrome') ? 'Chrome' : 'browser', version: '' },
    rtpCapabilities: consume ? device.recvRtpCapabilities : undefined,
  });
  for (const p of peers) addPeer(dialect.peerInfo(p));
  state.joined = true;
  setStatus('joined');
  for (const track of stream?.getTracks() ?? []) await produceTrack(track);
  if (stream) setStatus(`joined, sending ${[...state.producers.values()].map(describeProducer).join(' + ')}`);
}

function describeProducer(p) {
  return p.kind === 'video' ? p.rtpParameters.codecs[0].mimeType.replace('video/', '') : p.kind;
}

async function produceTrack(track) {
  const opts = { track, appData: dialect.produceAppData(track.kind) };
  if (track.kind === 'video') {
    const video = device.sendRtpCapabilities.codecs.filter((c) => c.kind === 'video');
    let codec = video[0];
    if (forcedCodec) {
      codec = video.find((c) => c.mimeType.toLowerCase() === `video/${forcedCodec.toLowerCase()}`);
      // Never fall back silently: the page was asked for this codec.
      if (!codec) throw new Error(`force${forcedCodec}: ${forcedCodec} is not in the send capabilities (${state.sendCodecs.join(', ')})`);
      opts.codec = codec;
    }
    opts.encodings = codec?.mimeType.toLowerCase() === 'video/vp9'
      ? [{ scalabilityMode: 'L3T3_KEY', maxBitrate: 1500000 }]
      : [{ scaleResolutionDownBy: 2, maxBitrate: 300000, scalabilityMode: 'L1T3' },
         { scaleResolutionDownBy: 1, maxBitrate: 1200000, scalabilityMode: 'L1T3' }];
    opts.codecOptions = { videoGoogleStartBitrate: 1000 };
  }
  const producer = await sendTransport.produce(opts);
  state.producers.set(producer.id, producer);
  producer.on('transportclose', () => state.producers.delete(producer.id));
  return producer;
}

// ---- remote peers: one tile each ------------------------------------------

function tileFor(id) {
  let tile = document.getElementById(`peer-${id}`);
  if (!tile) {
    tile = document.createElement('figure');
    tile.className = 'tile';
    tile.id = `peer-${id}`;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true; // audio plays through its own element
    const caption = document.createElement('figcaption');
    tile.append(video, caption);
    document.getElementById('tiles').append(tile);
  }
  const info = state.peers.get(id);
  tile.querySelector('figcaption').textContent = info?.displayName ?? id;
  return tile;
}

function addPeer(p) {
  state.peers.set(p.peerId, p);
  tileFor(p.peerId);
}

function removePeer(id) {
  state.peers.delete(id);
  document.getElementById(`peer-${id}`)?.remove();
}

function attach(consumer) {
  const tile = tileFor(consumer.appData.peerId);
  if (consumer.kind === 'video') {
    tile.querySelector('video').srcObject = new MediaStream([consumer.track]);
  } else {
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.srcObject = new MediaStream([consumer.track]);
    audio.id = `audio-${consumer.id}`;
    tile.append(audio);
  }
}

function forget(consumer) {
  state.consumers.delete(consumer.id);
  document.getElementById(`audio-${consumer.id}`)?.remove();
  const video = document.querySelector(`#peer-${consumer.appData.peerId} video`);
  if (consumer.kind === 'video' && video?.srcObject?.getTracks()[0] === consumer.track) video.srcObject = null;
}

// ---- DataChannels: the chat box and what tests use ---------------------------

async function produceData(options) {
  if (!sendTransport) throw new Error('no send transport (produce=false)');
  const dataProducer = await sendTransport.produceData(options);
  state.dataProducers.set(dataProducer.id, dataProducer);
  const drop = () => state.dataProducers.delete(dataProducer.id);
  dataProducer.on('transportclose', drop);
  dataProducer.observer.on('close', drop);
  return dataProducer.id;
}

async function enableChat() {
  state.chatProducerId = await produceData(dialect.chatOptions);
  document.getElementById('chat-input').disabled = false;
}

function chatLine(who, text) {
  const line = document.createElement('div');
  line.className = 'chat-line';
  const name = document.createElement('b');
  name.textContent = `${who}: `;
  line.append(name, document.createTextNode(text));
  const log = document.getElementById('chat-log');
  log.append(line);
  log.scrollTop = log.scrollHeight;
}

function sendChat(text) {
  const dataProducer = state.dataProducers.get(state.chatProducerId);
  if (!dataProducer) throw new Error('no chat DataProducer yet');
  dataProducer.send(text);
  chatLine('me', text);
}

document.getElementById('chat-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('chat-input');
  if (!input.value) return;
  try { sendChat(input.value); input.value = ''; } catch (err) { console.error(err); }
});

async function onNewDataConsumer(data, accept, reject) {
  if (!useDataChannel || !recvTransport) {
    reject(403, 'I do not want to data consume');
    return;
  }
  const { peerId: owner, dataConsumerId, dataProducerId, sctpStreamParameters, label, protocol, appData } =
    dialect.newDataConsumer(data);
  try {
    const dataConsumer = await recvTransport.consumeData({
      id: dataConsumerId, dataProducerId, sctpStreamParameters, label, protocol,
      appData: { ...appData, peerId: owner },
    });
    dataConsumer.binaryType = 'arraybuffer';
    state.dataConsumers.set(dataConsumer.id, dataConsumer);
    const drop = () => state.dataConsumers.delete(dataConsumer.id);
    dataConsumer.on('transportclose', drop);
    dataConsumer.observer.on('close', drop);
    dataConsumer.on('message', (message) => {
      state.messages.push({ dataConsumerId: dataConsumer.id, dataProducerId, peerId: owner, label, data: message, at: Date.now() });
      if (label === 'chat' && typeof message === 'string') chatLine(state.peers.get(owner)?.displayName ?? owner, message);
    });
    accept();
  } catch (err) {
    console.error('newDataConsumer failed', err);
    reject(500, String(err));
  }
}

peer.on('request', async (request, accept, reject) => {
  if (request.method === 'newDataConsumer') {
    await onNewDataConsumer(request.data, accept, reject);
    return;
  }
  if (request.method !== 'newConsumer') {
    reject(500, `unknown request ${request.method}`);
    return;
  }
  if (!recvTransport) {
    reject(403, 'I do not want to consume');
    return;
  }
  const { peerId: owner, consumerId, producerId, kind, rtpParameters, appData, producerPaused } =
    dialect.newConsumer(request.data);
  try {
    const consumer = await recvTransport.consume({
      id: consumerId, producerId, kind, rtpParameters,
      streamId: dialect.streamId(owner, appData),
      appData: { ...appData, peerId: owner, producerPaused: Boolean(producerPaused) },
    });
    state.consumers.set(consumer.id, consumer);
    consumer.on('transportclose', () => forget(consumer));
    attach(consumer);
    accept();
  } catch (err) {
    console.error('newConsumer failed', err);
    reject(500, String(err));
  }
});

peer.on('notification', (n) => {
  const d = n.data ?? {};
  state.events.push({ method: n.method, data: d, at: Date.now() });
  const consumer = d.consumerId && state.consumers.get(d.consumerId);
  switch (n.method) {
    case 'newPeer': addPeer(dialect.peerInfo(dialect.newPeer(d))); break;
    case 'peerClosed': removePeer(d.peerId); break;
    case 'peerDisplayNameChanged': {
      const p = state.peers.get(d.peerId);
      if (p) { p.displayName = d.displayName; tileFor(d.peerId); }
      break;
    }
    case 'consumerClosed': if (consumer) { consumer.close(); forget(consumer); } break;
    case 'dataConsumerClosed': {
      const dataConsumer = state.dataConsumers.get(d.dataConsumerId);
      if (dataConsumer) { dataConsumer.close(); state.dataConsumers.delete(dataConsumer.id); }
      break;
    }
    case 'consumerPaused': if (consumer) { consumer.appData.producerPaused = true; consumer.pause(); } break;
    case 'consumerResumed': if (consumer) { consumer.appData.producerPaused = false; consumer.resume(); } break;
    case 'consumerScore': if (consumer) consumer.appData.score = d.score; break;
    case 'producerScore': {
      const producer = state.producers.get(d.producerId);
      if (producer) producer.appData.score = d.score;
      break;
    }
    case 'mediasoup-version': case 'mediasoupVersion': state.mediasoupVersion = d.version; break;
    case 'activeSpeaker': state.activeSpeaker = d.peerId ?? null; showSpeakers(); break;
    case 'speakingPeers': state.speakingPeers = d.peerVolumes ?? []; showSpeakers(); break;
    default: break; // consumerLayersChanged, downlinkBwe, ...
  }
});

// ---- who is speaking --------------------------------------------------------
// Legacy dialect: activeSpeaker {peerId, volume} names the loudest peer at each
// report (every 800 ms while someone speaks), {peerId: null} once the room is
// quiet. Current dialect: speakingPeers {peerVolumes} lists who speaks, loudest
// first ([] when quiet), and activeSpeaker {peerId?} names the dominant
// speaker. The active speaker's tile gets a bright outline (class
// active-speaker), other speaking peers' a dim one (class speaking); my own
// tile too, as the server names me when I speak.
state.activeSpeaker = null;
state.speakingPeers = [];

function showSpeakers() {
  const speaking = new Set(state.speakingPeers.map((p) => p.peerId));
  if (state.activeSpeaker && (legacy || speaking.size > 0)) speaking.add(state.activeSpeaker);
  for (const tile of document.querySelectorAll('#tiles figure')) {
    const id = tile.id === 'me' ? peerId : tile.id.slice('peer-'.length);
    const active = id === state.activeSpeaker;
    tile.classList.toggle('active-speaker', active);
    tile.classList.toggle('speaking', speaking.has(id));
    tile.style.outline = active ? '3px solid #4caf50' : speaking.has(id) ? '2px solid #2e7d32' : '';
  }
}

// ---- helpers for tests (and the console) -----------------------------------

const producerOf = (kind) => {
  const p = [...state.producers.values()].find((x) => x.kind === kind);
  if (!p) throw new Error(`no ${kind} producer`);
  return p;
};

Object.assign(state, {
  produceData,
  chat: { send: sendChat },
  producerList: () => [...state.producers.values()].map((p) => ({
    id: p.id, kind: p.kind, paused: p.paused, closed: p.closed, score: p.appData.score ?? null,
  })),
  consumerList: () => [...state.consumers.values()].map((c) => ({
    id: c.id, producerId: c.producerId, peerId: c.appData.peerId, kind: c.kind, paused: c.paused,
    producerPaused: c.appData.producerPaused, closed: c.closed, score: c.appData.score ?? null,
  })),
  async pauseProducer(kind) {
    const p = producerOf(kind);
    p.pause();
    await dialect.control('pauseProducer', { producerId: p.id });
  },
  async resumeProducer(kind) {
    const p = producerOf(kind);
    p.resume();
    await dialect.control('resumeProducer', { producerId: p.id });
  },
  async closeProducer(kind) {
    const p = producerOf(kind);
    p.close();
    state.producers.delete(p.id);
    await dialect.control('closeProducer', { producerId: p.id });
  },
  async restartIce() {
    for (const transport of [sendTransport, recvTransport].filter(Boolean)) {
      const iceParameters = dialect.iceParameters(await peer.request('restartIce', { transportId: transport.id }));
      await transport.restartIce({ iceParameters });
      state.iceParameters[transport.direction] = iceParameters;
    }
    return state.iceParameters;
  },
  // The ICE candidate pair each transport uses: {direction, protocol, remote}.
  async selectedPairs() {
    return Promise.all([sendTransport, recvTransport].filter(Boolean).map(async (transport) => {
      const report = await transport.getStats();
      const ts = [...report.values()].find((s) => s.type === 'transport');
      const pair = report.get(ts?.selectedCandidatePairId);
      const remote = report.get(pair?.remoteCandidateId);
      return { direction: transport.direction, state: transport.connectionState, protocol: remote?.protocol ?? null,
               remote: remote ? `${remote.address}:${remote.port}` : null };
    }));
  },
  // One entry per video consumer, from its receiver's inbound-rtp stats.
  async inboundVideoStats() {
    return Promise.all([...state.consumers.values()].filter((c) => c.kind === 'video').map(async (c) => {
      const report = await c.getStats();
      const inbound = [...report.values()].find((s) => s.type === 'inbound-rtp') ?? {};
      return {
        consumerId: c.id, peerId: c.appData.peerId, paused: c.paused,
        framesDecoded: inbound.framesDecoded ?? 0, frameWidth: inbound.frameWidth ?? 0,
        frameHeight: inbound.frameHeight ?? 0, packetsReceived: inbound.packetsReceived ?? 0,
        codec: report.get(inbound.codecId)?.mimeType ?? c.rtpParameters.codecs[0].mimeType,
      };
    }));
  },
  async inboundAudioStats() {
    return Promise.all([...state.consumers.values()].filter((c) => c.kind === 'audio').map(async (c) => {
      const report = await c.getStats();
      const inbound = [...report.values()].find((s) => s.type === 'inbound-rtp') ?? {};
      return {
        consumerId: c.id, peerId: c.appData.peerId, paused: c.paused,
        packetsReceived: inbound.packetsReceived ?? 0, totalSamplesReceived: inbound.totalSamplesReceived ?? 0,
        audioLevel: inbound.audioLevel ?? 0, codec: report.get(inbound.codecId)?.mimeType ?? c.rtpParameters.codecs[0].mimeType,
      };
    }));
  },
});
