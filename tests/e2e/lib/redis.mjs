// Minimal RESP2 client for the end-to-end tests: enough for commands, binary
// arguments (XADD of raw msgpack) and pub/sub. No dependency on an npm Redis
// client, so the tests see exactly what they send.
import net from 'node:net';

class RespParser {
  constructor() {
    this.buf = Buffer.alloc(0);
  }

  push(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
  }

  // Returns {value} for one complete reply, or undefined if more bytes are needed.
  next() {
    const r = this._parse(0);
    if (r === undefined) return undefined;
    this.buf = this.buf.subarray(r.end);
    return { value: r.value };
  }

  _line(pos) {
    const i = this.buf.indexOf('\r\n', pos);
    if (i < 0) return undefined;
    return { text: this.buf.toString('utf8', pos + 1, i), end: i + 2 };
  }

  _parse(pos) {
    if (pos >= this.buf.length) return undefined;
    const type = String.fromCharCode(this.buf[pos]);
    const line = this._line(pos);
    if (line === undefined) return undefined;
    switch (type) {
      case '+':
        return { value: line.text, end: line.end };
      case '-': {
        const err = new Error(line.text);
        err.redisError = true;
        return { value: err, end: line.end };
      }
      case ':':
        return { value: Number(line.text), end: line.end };
      case '$': {
        const n = Number(line.text);
        if (n < 0) return { value: null, end: line.end };
        if (this.buf.length < line.end + n + 2) return undefined;
        return { value: this.buf.subarray(line.end, line.end + n), end: line.end + n + 2 };
      }
      case '*': {
        const n = Number(line.text);
        if (n < 0) return { value: null, end: line.end };
        const arr = [];
        let p = line.end;
        for (let i = 0; i < n; i++) {
          const el = this._parse(p);
          if (el === undefined) return undefined;
          arr.push(el.value);
          p = el.end;
        }
        return { value: arr, end: p };
      }
      default:
        throw new Error(`RESP protocol error: unexpected type byte 0x${this.buf[pos].toString(16)}`);
    }
  }
}

function encodeCommand(args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

// Bulk strings come back as Buffers; convert them to strings recursively
// (errors stay errors).
function toStrings(v) {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map(toStrings);
  return v;
}

export class RedisClient {
  static connect(port, host = '127.0.0.1', { timeoutMs = 5000 } = {}) {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ port, host });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`redis connect to ${host}:${port} timed out`));
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        resolve(new RedisClient(sock));
      });
      sock.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  constructor(sock) {
    this.sock = sock;
    this.parser = new RespParser();
    this.pending = [];
    this.closed = false;
    this.subscribed = false;
    this.messageHandlers = [];
    sock.setNoDelay(true);
    sock.on('data', (chunk) => this._onData(chunk));
    sock.on('error', () => {});
    sock.on('close', () => {
      this.closed = true;
      for (const p of this.pending.splice(0)) p.reject(new Error('redis connection closed'));
    });
  }

  _onData(chunk) {
    this.parser.push(chunk);
    for (;;) {
      let r;
      try {
        r = this.parser.next();
      } catch (err) {
        this.sock.destroy(err);
        return;
      }
      if (r === undefined) return;
      const v = r.value;
      // In subscriber mode, pushes are ["message", channel, payload].
      if (this.subscribed && Array.isArray(v) && v.length === 3 && Buffer.isBuffer(v[0]) &&
          v[0].toString() === 'message') {
        for (const h of this.messageHandlers) h(v[1].toString(), v[2]);
        continue;
      }
      const p = this.pending.shift();
      if (p === undefined) continue;
      if (v instanceof Error) p.reject(v);
      else p.resolve(p.raw ? v : toStrings(v));
    }
  }

  _send(args, raw) {
    if (this.closed) return Promise.reject(new Error('redis connection closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, raw });
      this.sock.write(encodeCommand(args));
    });
  }

  // call('HGETALL', key) -> strings / numbers / arrays / null.
  call(...args) {
    return this._send(args, false);
  }

  // Same as call(), but bulk strings stay Buffers.
  callRaw(...args) {
    return this._send(args, true);
  }

  async hgetall(key) {
    const arr = await this.call('HGETALL', key);
    const o = {};
    for (let i = 0; i + 1 < arr.length; i += 2) o[arr[i]] = arr[i + 1];
    return o;
  }

  // Turns this connection into a subscriber; handler(channel, payloadBuffer).
  async subscribe(channel, handler) {
    this.messageHandlers.push(handler);
    this.subscribed = true;
    await this.call('SUBSCRIBE', channel);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.sock.destroy();
  }
}
