// Braid demo page: a small mediasoup-demo style client (current dialect of
// the mediasoup-demo room protocol) built on the unmodified npm
// mediasoup-client and protoo-client. Bundled at build time (esbuild).
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

if (!params.has('roomId')) {
  params.set('roomId', roomId);
  history.replaceState(null, '', `${location.pathname}?${params}`);
}
document.getElementById('room').textContent = `room ${roomId}`;
document.getElementById('me-name').textContent = `${displayName} (me)`;
const setStatus = (s) => { document.getElementById('status').textContent = s; };

// State exposed for tests and the curious: window.braidDemo.
const state = { roomId, peerId, peers: new Map(), producers: new Map(), consumers: new Map(), joined: false };
window.braidDemo = state;

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/?roomId=${encodeURIComponent(roomId)}&peerId=${encodeURIComponent(peerId)}`;
const peer = new protooClient.Peer(new protooClient.WebSocketTransport(wsUrl));
let device, sendTransport, recvTransport;

peer.on('open', () => join().catch((err) => { console.error(err); setStatus(`error: ${err.message}`); }));
peer.on('disconnected', () => setStatus('disconnected'));
peer.on('close', () => setStatus('closed'));

async function createTransport(direction) {
  const t = await peer.request('createWebRtcTransport', { forceTcp, appData: { direction } });
  const opts = {
    id: t.transportId, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates,
    dtlsParameters: t.dtlsParameters, sctpParameters: t.sctpParameters, iceServers: [],
  };
  const transport = direction === 'producer' ? device.createSendTransport(opts) : device.createRecvTransport(opts);
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    peer.request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters })
      .then(callback).catch(errback);
  });
  transport.on('connectionstatechange', (s) => { state[`${direction}State`] = s; });
  if (direction === 'producer') {
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      peer.request('produce', { transportId: transport.id, kind, rtpParameters, appData })
        .then(({ producerId }) => callback({ id: producerId })).catch(errback);
    });
  }
  return transport;
}

async function join() {
  setStatus('joining…');
  device = new mediasoupClient.Device();
  const { routerRtpCapabilities } = await peer.request('getRouterRtpCapabilities');
  await device.load({ routerRtpCapabilities });
  // getUserMedia first: Chromium then exposes host IPs instead of mDNS names.
  let stream = null;
  if (produce) {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    document.getElementById('local').srcObject = stream;
    sendTransport = await createTransport('producer');
  }
  if (consume) recvTransport = await createTransport('consumer');
  const { peers } = await peer.request('join', {
    displayName,
    device: { flag: 'braid-demo', name: navigator.userAgent.includes('Chrome') ? 'Chrome' : 'browser', version: '' },
    rtpCapabilities: consume ? device.recvRtpCapabilities : undefined,
  });
  for (const p of peers) addPeer(p);
  state.joined = true;
  setStatus('joined');
  if (stream) {
    const audio = stream.getAudioTracks()[0];
    if (audio) await produceTrack(audio, { source: 'audio' });
    const video = stream.getVideoTracks()[0];
    if (video) await produceTrack(video, { source: 'video' });
  }
}

async function produceTrack(track, appData) {
  const opts = { track, appData };
  if (track.kind === 'video') {
    const codec = forcedCodec && device.sendRtpCapabilities.codecs.find((c) => c.mimeType.toLowerCase() === `video/${forcedCodec.toLowerCase()}`);
    if (codec) opts.codec = codec;
    const vp9 = (codec ?? device.sendRtpCapabilities.codecs.find((c) => c.kind === 'video'))?.mimeType.toLowerCase() === 'video/vp9';
    opts.encodings = vp9
      ? [{ scalabilityMode: 'L3T3_KEY', maxBitrate: 1500000 }]
      : [{ scaleResolutionDownBy: 2, maxBitrate: 300000, scalabilityMode: 'L1T3' },
         { scaleResolutionDownBy: 1, maxBitrate: 1200000, scalabilityMode: 'L1T3' }];
    opts.codecOptions = { videoGoogleStartBitrate: 1000 };
  }
  const producer = await sendTransport.produce(opts);
  state.producers.set(producer.id, producer);
  return producer;
}

function tileFor(peerId) {
  let tile = document.getElementById(`peer-${peerId}`);
  if (!tile) {
    tile = document.createElement('figure');
    tile.className = 'tile';
    tile.id = `peer-${peerId}`;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true; // audio plays through its own element
    const caption = document.createElement('figcaption');
    tile.append(video, caption);
    document.getElementById('tiles').append(tile);
  }
  const info = state.peers.get(peerId);
  tile.querySelector('figcaption').textContent = info ? info.displayName : peerId;
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
  const peerTile = tileFor(consumer.appData.peerId);
  if (consumer.kind === 'video') {
    peerTile.querySelector('video').srcObject = new MediaStream([consumer.track]);
  } else {
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.srcObject = new MediaStream([consumer.track]);
    audio.id = `audio-${consumer.id}`;
    peerTile.append(audio);
  }
}

peer.on('request', async (request, accept, reject) => {
  if (request.method !== 'newConsumer') {
    reject(500, `unknown request ${request.method}`);
    return;
  }
  if (!recvTransport) {
    reject(403, 'I do not want to consume');
    return;
  }
  const { peerId: owner, consumerId, producerId, kind, rtpParameters, appData } = request.data;
  try {
    const consumer = await recvTransport.consume({
      id: consumerId, producerId, kind, rtpParameters,
      streamId: `${owner}-${appData?.source === 'screensharing' ? 'share' : 'audio-video'}`,
      appData: { ...appData, peerId: owner },
    });
    state.consumers.set(consumer.id, consumer);
    consumer.on('transportclose', () => state.consumers.delete(consumer.id));
    attach(consumer);
    accept();
  } catch (err) {
    console.error('newConsumer failed', err);
    reject(500, String(err));
  }
});

peer.on('notification', (n) => {
  const d = n.data ?? {};
  switch (n.method) {
    case 'newPeer': addPeer(d.peer); break;
    case 'peerClosed': removePeer(d.peerId); break;
    case 'consumerClosed': {
      const c = state.consumers.get(d.consumerId);
      if (c) { c.close(); state.consumers.delete(d.consumerId); document.getElementById(`audio-${d.consumerId}`)?.remove(); }
      break;
    }
    case 'consumerPaused': state.consumers.get(d.consumerId)?.pause(); break;
    case 'consumerResumed': state.consumers.get(d.consumerId)?.resume(); break;
    default: break;
  }
});
