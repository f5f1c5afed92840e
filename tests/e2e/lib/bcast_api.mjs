// A client of the controller's broadcaster HTTP API (controller/api/api.h),
// as mediasoup-demo's broadcaster scripts use it: JSON in, JSON out.
export class BroadcasterApi {
  // ctl: a cluster controller (its httpUrl); roomId: the room.
  constructor(ctl, roomId) {
    this.base = `${ctl.httpUrl}/rooms/${encodeURIComponent(roomId)}`;
  }

  // Returns {status, body (parsed JSON, or the text when it is not JSON)}.
  async call(method, path, body, { raw } = {}) {
    const init = { method, headers: {} };
    if (raw !== undefined) {
      init.body = raw;
      init.headers['content-type'] = 'application/json';
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(10000) });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  }

  // Like call(), but throws unless the status is 2xx.
  async ok(method, path, body) {
    const r = await this.call(method, path, body);
    if (r.status < 200 || r.status > 299) {
      throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    }
    return r.body;
  }

  createBroadcaster(id, extra = {}) {
    return this.ok('POST', '/broadcasters', { id, displayName: 'Broadcaster', device: { name: 'FFmpeg' }, ...extra });
  }

  createPlain(bid, opts = {}) {
    return this.ok('POST', `/broadcasters/${bid}/transports`, { type: 'plain', comedia: true, rtcpMux: false, ...opts });
  }

  produce(bid, tid, kind, rtpParameters, appData) {
    return this.ok('POST', `/broadcasters/${bid}/transports/${tid}/producers`, { kind, rtpParameters, appData });
  }

  consume(bid, tid, producerId) {
    return this.ok('POST', `/broadcasters/${bid}/transports/${tid}/consume?producerId=${encodeURIComponent(producerId)}`);
  }

  connect(bid, tid, params) {
    return this.ok('POST', `/broadcasters/${bid}/transports/${tid}/connect`, params);
  }

  deleteBroadcaster(bid) {
    return this.ok('DELETE', `/broadcasters/${bid}`);
  }
}

// The seed example's producers (mediasoup-demo broadcasters/ffmpeg.sh, with
// the payload types and SSRCs of the issue).
export const SEED = Object.freeze({
  audio: { ssrc: 11111111, pt: 101 },
  video: { ssrc: 22222222, pt: 102 },
});

export function opusParams({ pt = SEED.audio.pt, ssrc = SEED.audio.ssrc } = {}) {
  return {
    codecs: [{ mimeType: 'audio/opus', payloadType: pt, clockRate: 48000, channels: 2, parameters: { 'sprop-stereo': 1 } }],
    encodings: [{ ssrc }],
  };
}

// rtcpFeedback: gstreamer.sh's by default; ffmpeg.sh sends [{type: 'goog-remb'}].
export function vp8Params({ pt = SEED.video.pt, ssrc = SEED.video.ssrc,
                            rtcpFeedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] } = {}) {
  return {
    codecs: [{ mimeType: 'video/vp8', payloadType: pt, clockRate: 90000, rtcpFeedback }],
    encodings: [{ ssrc }],
  };
}
