// A mediasoup-demo-like client without a browser: protoo-client plus
// mediasoup-client's FakeHandler Device (every parameter mediasoup-client
// checks is checked), a send and a recv transport; it takes every
// newConsumer with recvTransport.consume() unless `refuse` is set.
import protooClient from 'protoo-client';
import { Device, FakeHandler, testFakeParameters } from 'mediasoup-client';
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';

import { waitFor } from './cluster.mjs';
import { NODE_DEVICE, newPeerId } from './peers.mjs';

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  })]).finally(() => clearTimeout(timer));
}

export class FakeClient {
  static async open(ctl, roomId, { legacy = false, name } = {}) {
    const cl = new FakeClient(ctl, roomId, legacy, name);
    await withTimeout(cl.opened, 10000, `${name} connects`);
    return cl;
  }

  constructor(ctl, roomId, legacy, name) {
    this.legacy = legacy;
    this.name = name;
    this.peerId = newPeerId();
    this.refuse = false;
    this.notifications = [];
    this.newConsumers = []; // the data of every newConsumer request
    this.consumers = new Map(); // consumerId -> mediasoup-client Consumer
    this.errors = [];
    const url = ctl.wsUrl(roomId, this.peerId, legacy ? '&dialect=legacy' : '');
    this.peer = new protooClient.Peer(new protooClient.WebSocketTransport(url, { retry: { retries: 0 } }));
    this.opened = new Promise((resolve, reject) => {
      this.peer.on('open', resolve);
      this.peer.on('failed', () => reject(new Error(`${name}: cannot connect`)));
    });
    this.peer.on('notification', (n) => this.notifications.push(n));
    this.peer.on('request', (req, accept, reject) => this.onRequest(req, accept, reject));
  }

  async onRequest(req, accept, reject) {
    if (req.method !== 'newConsumer') return reject(500, `unexpected ${req.method}`);
    this.newConsumers.push(req.data);
    if (this.refuse) return reject(403, 'I do not want to consume');
    try {
      const d = req.data;
      const id = this.legacy ? d.id : d.consumerId;
      const consumer = await this.recv.consume({ id, producerId: d.producerId, kind: d.kind,
                                                 rtpParameters: d.rtpParameters,
                                                 appData: { ...d.appData, peerId: d.peerId } });
      this.consumers.set(id, consumer);
      accept();
    } catch (err) {
      this.errors.push(err);
      reject(500, String(err));
    }
  }

  request(method, data = {}) {
    return withTimeout(this.peer.request(method, data), 10000, `${this.name}: ${method}`);
  }

  // Producer/consumer controls: requests (legacy) or notifications (current).
  async control(method, data) {
    if (this.legacy) return this.request(method, data);
    await this.peer.notify(method, data);
    return undefined;
  }

  async setup({ join = true, consume = true } = {}) {
    const caps = await this.request('getRouterRtpCapabilities');
    this.device = new Device({ handlerFactory: FakeHandler.createFactory(testFakeParameters) });
    await this.device.load({ routerRtpCapabilities: this.legacy ? caps : caps.routerRtpCapabilities });
    this.send = await this.transport(true);
    if (consume) this.recv = await this.transport(false);
    if (join) {
      this.joined = await this.request('join', {
        displayName: this.name, device: NODE_DEVICE,
        rtpCapabilities: consume ? this.device.recvRtpCapabilities : undefined,
      });
    }
  }

  async transport(producing) {
    const r = await this.request('createWebRtcTransport', this.legacy
      ? { forceTcp: false, producing, consuming: !producing }
      : { forceTcp: false, appData: { direction: producing ? 'producer' : 'consumer' } });
    const opts = { id: this.legacy ? r.id : r.transportId, iceParameters: r.iceParameters,
                   iceCandidates: r.iceCandidates, dtlsParameters: r.dtlsParameters };
    const t = producing ? this.device.createSendTransport(opts) : this.device.createRecvTransport(opts);
    t.on('connect', ({ dtlsParameters }, ok, fail) => {
      this.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters }).then(ok, fail);
    });
    if (producing) {
      t.on('produce', ({ kind, rtpParameters, appData }, ok, fail) => {
        this.request('produce', { transportId: t.id, kind, rtpParameters, appData })
          .then((res) => ok({ id: this.legacy ? res.id : res.producerId }), fail);
      });
    }
    return t;
  }

  produce(kind, opts = {}) {
    const source = this.legacy ? (kind === 'audio' ? 'mic' : 'webcam') : kind;
    return this.send.produce({ track: new FakeMediaStreamTrack({ kind }), appData: { source }, ...opts });
  }

  waitNewConsumer(pred, what) {
    return waitFor(() => this.newConsumers.find(pred), { timeoutMs: 10000, what: `${this.name}: ${what}` });
  }

  waitNotification(method, pred = () => true) {
    return waitFor(() => this.notifications.find((n) => n.method === method && pred(n.data ?? {})),
                   { timeoutMs: 10000, what: `${this.name}: notification ${method}` });
  }

  close() {
    this.peer.close();
  }
}

