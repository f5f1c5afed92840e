// Client-side helpers for the end-to-end tests:
//  - ProtooPeer: the real npm protoo-client (what mediasoup-demo's app uses),
//  - RawWs: a raw WebSocket (npm ws) for malformed input and close codes,
//  - loadDevice: mediasoup-client's Device with its FakeHandler (Node).
import protooClient from 'protoo-client';
import { Device, FakeHandler, testFakeParameters } from 'mediasoup-client';
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import net from 'node:net';

import { randomId } from './cluster.mjs';

export const NODE_DEVICE = Object.freeze({ flag: 'node', name: 'Node.js', version: process.versions.node });

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// Keeps every message of one kind and lets a test wait for one that matches.
class Inbox {
  constructor() {
    this.items = [];
    this.waiters = [];
  }

  push(item) {
    this.items.push(item);
    for (const w of [...this.waiters]) {
      if (w.pred(item)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(item);
      }
    }
  }

  // Resolves with the first item (already received or future) matching pred.
  wait(pred, ms, what) {
    const found = this.items.find(pred);
    if (found) return Promise.resolve(found);
    let w;
    const p = new Promise((resolve) => {
      w = { pred, resolve };
      this.waiters.push(w);
    });
    return withTimeout(p, ms, what).catch((err) => {
      const i = this.waiters.indexOf(w);
      if (i >= 0) this.waiters.splice(i, 1);
      throw err;
    });
  }
}

export class ProtooPeer {
  // Connects with protoo-client (no retries: a refused connection fails the
  // test at once instead of retrying for a minute).
  static async connect(url, { timeoutMs = 10000, retries = 0 } = {}) {
    const p = new ProtooPeer(url, retries);
    await withTimeout(p.opened, timeoutMs, `protoo connect to ${url}`);
    return p;
  }

  constructor(url, retries) {
    this.url = url;
    this.transport = new protooClient.WebSocketTransport(url, {
      retry: { retries, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    });
    this.peer = new protooClient.Peer(this.transport);
    this.notifications = new Inbox();
    this.serverRequests = new Inbox();
    this.events = [];
    this.closedByServer = false;
    this.opened = new Promise((resolve, reject) => {
      this.peer.on('open', () => {
        this.events.push('open');
        resolve();
      });
      this.peer.on('failed', (attempt) => {
        this.events.push(`failed:${attempt}`);
        if (retries === 0) reject(new Error(`protoo-client could not connect to ${url}`));
      });
      this.peer.on('close', () => {
        this.events.push('close');
        reject(new Error(`protoo-client closed before opening ${url}`));
      });
    });
    this.opened.catch(() => {});
    this.peer.on('disconnected', () => this.events.push('disconnected'));
    this.peer.on('notification', (n) => this.notifications.push(n));
    this.peer.on('request', (req, accept) => {
      this.serverRequests.push(req);
      accept({});
    });
  }

  request(method, data = {}, timeoutMs = 10000) {
    return withTimeout(this.peer.request(method, data), timeoutMs, `response to ${method}`);
  }

  waitNotification(method, pred = () => true, timeoutMs = 10000) {
    return this.notifications.wait((n) => n.method === method && pred(n.data ?? {}), timeoutMs,
                                   `notification ${method} at ${this.url}`);
  }

  hasNotification(method, pred = () => true) {
    return this.notifications.items.some((n) => n.method === method && pred(n.data ?? {}));
  }

  close() {
    this.peer.close();
  }
}

export class RawWs {
  // protocols: 'protoo' by default; null for none.
  static connect(url, { protocols = 'protoo', timeoutMs = 10000, ...opts } = {}) {
    const r = new RawWs(url, protocols, opts);
    return withTimeout(r.opened, timeoutMs, `WebSocket connect to ${url}`).then(() => r);
  }

  // Tries to connect and reports how the attempt ended: {opened, status, code,
  // error}. Never throws.
  static attempt(url, { protocols = 'protoo', timeoutMs = 10000 } = {}) {
    return new Promise((resolve) => {
      const ws = protocols ? new WebSocket(url, protocols) : new WebSocket(url);
      const timer = setTimeout(() => {
        ws.terminate();
        resolve({ opened: false, timeout: true });
      }, timeoutMs);
      const done = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      ws.on('open', () => {
        ws.on('close', () => {});
        ws.terminate();
        done({ opened: true, protocol: ws.protocol });
      });
      ws.on('unexpected-response', (req, res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => done({ opened: false, status: res.statusCode,
                                   body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => done({ opened: false, status: res.statusCode }));
        req.on('error', () => {});
      });
      ws.on('error', (err) => done({ opened: false, error: err.message }));
    });
  }

  constructor(url, protocols, opts) {
    this.url = url;
    this.ws = protocols ? new WebSocket(url, protocols, opts) : new WebSocket(url, opts);
    this.messages = new Inbox();
    this.closeInfo = null;
    this.errors = [];
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (req, res) =>
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    this.opened.catch(() => {});
    this.ws.on('error', (err) => this.errors.push(err));
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
      });
    });
    this.ws.on('message', (data, isBinary) => {
      let msg;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        msg = { unparsable: data.toString() };
      }
      this.messages.push(msg);
    });
  }

  send(data, opts = {}) {
    return new Promise((resolve) => this.ws.send(data, opts, (err) => resolve(err)));
  }

  // Sends a protoo request and resolves with the whole response message.
  async request(method, data = {}, timeoutMs = 10000) {
    const id = Math.round(Math.random() * 10000000);
    const err = await this.send(JSON.stringify({ request: true, id, method, data }));
    if (err) throw err;
    return this.messages.wait((m) => m.response === true && m.id === id, timeoutMs,
                              `response to ${method} (id ${id})`);
  }

  waitNotification(method, timeoutMs = 10000) {
    return this.messages.wait((m) => m.notification === true && m.method === method, timeoutMs,
                              `notification ${method}`);
  }

  waitClose(timeoutMs = 10000) {
    return withTimeout(this.closed, timeoutMs, `server to close ${this.url}`);
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate();
    }
  }
}

// mediasoup-client Device with its fake handler, as mediasoup-client's own
// tests build it (src/test/test.ts: FakeHandler.createFactory(fakeParameters)).
export async function loadDevice(routerRtpCapabilities) {
  const device = new Device({ handlerFactory: FakeHandler.createFactory(testFakeParameters) });
  await device.load({ routerRtpCapabilities });
  return device;
}

export function newPeerId() {
  return randomId(8);
}

// A hand-made WebSocket upgrade request (so nothing client-side second-guesses
// the answer). Resolves with {status, statusLine, headers} of the server's
// first response, or {status: null, error} if the connection failed/closed.
export function httpUpgrade(port, pathAndQuery, { protocol = 'protoo', host = '127.0.0.1', timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    let buf = '';
    const done = (r) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ status: null, error: 'timeout' }), timeoutMs);
    sock.on('connect', () => {
      const lines = [
        `GET ${pathAndQuery} HTTP/1.1`, `Host: ${host}:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13',
        `Origin: http://${host}:${port}`,
      ];
      if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
      sock.write(lines.join('\r\n') + '\r\n\r\n');
    });
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...hl] = buf.slice(0, end).split('\r\n');
      const headers = {};
      for (const h of hl) {
        const i = h.indexOf(':');
        if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
      }
      const m = statusLine.match(/^HTTP\/1\.[01] (\d{3})/);
      done({ status: m ? Number(m[1]) : null, statusLine, headers });
    });
    sock.on('error', (err) => done({ status: null, error: err.message }));
    sock.on('close', () => done({ status: null, error: 'closed without a response' }));
  });
}
