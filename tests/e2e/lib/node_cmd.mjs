// Sends commands straight to a media daemon's command stream and waits for
// the replies, as a controller does (proto/cmd.h, proto/reply.h): for tests
// that read what only a node knows (transport.stats: tuples, counters).
import { randomId, waitFor } from './cluster.mjs';
import { decode, encode } from './msgpack.mjs';

export class NodeCommander {
  // c: the cluster; node: one of c.mediads.
  static async open(c, node) {
    const nc = new NodeCommander(c, node);
    nc.sub = await c.redisClient();
    await nc.sub.subscribe(c.key(`ctl:${nc.replyTo}`), (channel, payload) => {
      try {
        nc.replies.push(decode(payload));
      } catch {
        // not a reply of ours
      }
    });
    return nc;
  }

  constructor(c, node) {
    this.c = c;
    this.node = node;
    this.replyTo = `e2e-${randomId(6)}`;
    this.replies = [];
    this.nextId = 1;
  }

  // Resolves with the reply ({ok, r?, code?, reason?}).
  async call(type, body = {}, { timeoutMs = 5000 } = {}) {
    const id = this.nextId++;
    const m = encode({ v: 1, t: type, id, rt: this.replyTo, dl: Date.now() + timeoutMs, ...body });
    await this.c.redis.call('XADD', this.c.key(`node:${this.node.nodeId}:cmd`), '*', 'm', m);
    return waitFor(() => this.replies.find((r) => r.id === id), { timeoutMs, what: `reply to ${type}` });
  }

  // mediasoup's getStats() array of a transport, producer or consumer.
  async stats(what, id) {
    const r = await this.call(`${what}.stats`, { [what]: id });
    if (!r.ok) throw new Error(`${what}.stats ${id}: ${r.reason}`);
    return JSON.parse(r.r.stats);
  }
}
