#!/usr/bin/env python3
"""Writes the seed corpora of the mediad/rtc fuzzers.

    python3 fuzz/mediad/rtc/gen_corpus.py fuzz/mediad/rtc/corpus

rtp_listener/: scripts of RTP packets as browsers send them (Chromium's
extension ids: mid 4, rid 10, rrid 11) and producer add/remove ops, in the
record format of rtp_listener_fuzz.c. stream/: scripts of the operations
of stream_fuzz.c over realistic streams (in order, loss, reordering, wrap,
switches, NACK and RTX, key frame requests, simulcast and SVC layers).
"""
import os
import struct
import sys


def rtp(ssrc, pt, seq, ts, exts=(), payload=b"\x90\x80\x01\xaa", two_byte=False):
    """An RTP packet with RFC 8285 extension elements [(id, bytes)]."""
    x = 1 if exts else 0
    hdr = struct.pack("!BBHII", 0x80 | (x << 4), pt & 0x7F, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
    if exts:
        body = b""
        for eid, val in exts:
            if two_byte:
                body += bytes([eid, len(val)]) + val
            else:
                body += bytes([(eid << 4) | (len(val) - 1)]) + val
        body += b"\x00" * (-len(body) % 4)
        profile = 0x1000 if two_byte else 0xBEDE
        hdr += struct.pack("!HH", profile, len(body) // 4) + body
    return hdr + payload


def rec_packet(pkt, caller_parses=False):
    return bytes([4 if caller_parses else 0]) + struct.pack("!H", len(pkt)) + pkt


def rec_remove(i):
    return bytes([1 | (i << 2)])


def rec_add(i):
    return bytes([2 | (i << 2)])


def rec_ids(mid, rid, rrid):
    return bytes([3, mid, rid, rrid])


def listener_seeds():
    mid, rid, rrid = 4, 10, 11
    s = {}
    s["signalled"] = rec_packet(rtp(0x11111111, 96, 1, 0)) + rec_packet(rtp(0x22222222, 97, 1, 0))
    s["mid_learn"] = (rec_packet(rtp(5555, 96, 1, 0, [(mid, b"1")]))
                      + rec_packet(rtp(5555, 96, 2, 0))
                      + rec_packet(rtp(6666, 97, 1, 0, [(mid, b"1")]), True))
    s["simulcast"] = b"".join(
        rec_packet(rtp(100 + i, 96, 1, 0, [(mid, b"2"), (rid, b"r%d" % i)])) for i in range(3)
    ) + rec_packet(rtp(200, 97, 1, 0, [(mid, b"2"), (rrid, b"r1")]))
    s["rid_only"] = rec_packet(rtp(10, 96, 1, 0, [(rid, b"b")])) + rec_packet(
        rtp(11, 97, 1, 0, [(rrid, b"b")]))
    s["two_byte"] = rec_packet(rtp(77, 98, 1, 0, [(mid, b"1"), (200, b"")], two_byte=True))
    s["remove_add"] = (rec_packet(rtp(5555, 96, 1, 0, [(mid, b"1")])) + rec_remove(1)
                       + rec_packet(rtp(5555, 96, 2, 0)) + rec_add(1) + rec_remove(0)
                       + rec_packet(rtp(0x11111111, 96, 3, 0, [(mid, b"1")])) + rec_add(0))
    s["ids"] = rec_ids(1, 2, 3) + rec_packet(rtp(9, 96, 1, 0, [(1, b"2"), (2, b"r0")]))
    return s


# stream_fuzz.c ops: op & 7 selects the module, higher bits are flags.
def preamble(first_out=1000, nack_delay=0, rtx_seq=500, kf=0x3):
    return struct.pack("!HBHB", first_out, nack_delay, rtx_seq, kf)


def rewrite(seq, ts, marker=False, sync_flags=None, drop_next=False):
    op = 0 | (0x10 if marker else 0)
    if sync_flags is not None:
        op |= 0x20 | (sync_flags << 6)
    elif drop_next:
        op |= 0x40
    return bytes([op]) + struct.pack("!HI", seq & 0xFFFF, ts & 0xFFFFFFFF)


def nack_rx(seq, key=False, recovered=False):
    return bytes([1 | (0x40 if key else 0) | (0x80 if recovered else 0)]) + struct.pack("!H", seq & 0xFFFF)


def nack_batch():
    return bytes([1 | 0x10])


def rtx_store(seq):
    return bytes([2 | 0x10]) + struct.pack("!H", seq & 0xFFFF)


def rtx_resend(seq, rtt=50):
    return bytes([2]) + struct.pack("!HB", seq & 0xFFFF, rtt)


def stats_rx(seq, ts, flags=0):
    return bytes([3 | flags]) + struct.pack("!HI", seq & 0xFFFF, ts & 0xFFFFFFFF)


def stats_report(lsr=0, dlsr=0):
    return bytes([3 | 0x10]) + struct.pack("!HII", 0, lsr, dlsr)


def kf(kind, ssrc):
    return bytes([4 | (kind << 4)]) + bytes([ssrc])


def sim(kind, a=0, b=0, payload=b""):
    return bytes([5 | (kind << 4), a, b]) + payload


def svc(kind, a=0, b=0, payload=b""):
    return bytes([7 | (kind << 4), a, b]) + payload


def vp9(pic, sid, tid, inter, begin=True, end=True, up=False):
    """A VP9 payload (non-flexible mode, 15-bit PictureID) of one layer frame."""
    b0 = 0xA0 | (0x40 if inter else 0) | (0x08 if begin else 0) | (0x04 if end else 0)
    l = (tid << 5) | (0x10 if up else 0) | (sid << 1) | (1 if sid else 0)
    return bytes([b0, 0x80 | (pic >> 8), pic & 0xFF, l, 0x00, 0xAA])


def svc_picture(pic, tid, key=False, up=False):
    return b"".join(svc(7, 0, 6, vp9(pic, sid, tid, not key, up=up)) for sid in range(3))


def tick(ms):
    return bytes([6]) + struct.pack("!H", ms)


VP8_KEY = bytes([0x90, 0x20, 0x00, 0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01])


def vp8_delta(tid, sync):
    return bytes([0x90, 0x20, (tid << 6) | (0x20 if sync else 0), 0x01, 0xAA])


def stream_seeds():
    s = {}
    s["rewrite_in_order"] = preamble() + b"".join(
        rewrite(65530 + i, 3000 * i, marker=True) + tick(33) for i in range(12))
    s["rewrite_drop_switch"] = (preamble() + rewrite(1, 0) + rewrite(2, 0, drop_next=True)
                                + rewrite(4, 0, marker=False) + tick(250)
                                + rewrite(40000, 123456, sync_flags=2) + rewrite(40001, 126456)
                                + rewrite(3, 0) + tick(2000) + rewrite(40100, 5, sync_flags=1))
    s["nack_loss_reorder"] = (preamble(nack_delay=10) + nack_rx(65533) + nack_rx(2) + tick(5)
                              + nack_rx(0) + tick(10) + nack_batch() + tick(100) + nack_batch()
                              + nack_rx(1, recovered=True) + nack_rx(200, key=True) + nack_batch())
    s["rtx_store_resend"] = (preamble() + b"".join(rtx_store(65530 + i) for i in range(10))
                             + rtx_resend(65533) + tick(10) + rtx_resend(65533) + tick(200)
                             + rtx_resend(65533) + rtx_resend(2) + tick(3000) + rtx_resend(3))
    s["stats"] = (preamble() + b"".join(stats_rx(100 + i, 1800 * i) + tick(20) for i in range(20))
                  + stats_rx(0x8000, 0) + stats_rx(125, 0, 0x20 | 0x40) + stats_report(0x1234, 0x8000)
                  + stats_rx(126, 0, 0x80) + tick(1000) + stats_report())
    s["keyframe"] = (preamble(kf=0x2 | 0x4) + kf(0, 1) + kf(0, 1) + tick(300) + kf(3, 0)
                     + tick(700) + kf(3, 0) + kf(1, 1) + kf(2, 1) + kf(0, 2) + tick(1000) + kf(3, 0))
    s["simulcast"] = (preamble() + sim(1, 1) + sim(2, 0, 10) + sim(2, 1, 10) + sim(2, 2, 10)
                      + sim(7, 2, len(VP8_KEY), VP8_KEY) + sim(7, 2, 5, vp8_delta(1, True))
                      + sim(7, 2, 5, vp8_delta(2, False)) + sim(0, 1, 0)
                      + sim(7, 1, len(VP8_KEY), VP8_KEY) + sim(3, 30, 0) + sim(4, 2, 200)
                      + sim(5) + sim(1, 0) + sim(1, 1) + sim(7, 0, 0))
    # An SVC consumer: start at a key frame, temporal up, spatial down, a
    # budget, layer bitrates (spatial 2 silent), pause and resume.
    s["svc"] = (preamble(kf=0x3 | 0x8) + svc(1, 1) + svc(2, 10) + svc_picture(1, 0)
                + svc_picture(2, 0, key=True) + svc_picture(3, 1, up=True)
                + svc_picture(4, 2, up=True) + svc(0, 0, 2) + svc_picture(5, 0, key=True)
                + svc(0, 2, 0) + svc_picture(6, 0) + svc(4, 0x3F, 100) + svc(3, 25)
                + svc_picture(7, 0, key=True) + svc(5) + svc(1, 0) + svc(1, 1)
                + svc_picture(8, 0, key=True) + tick(33) + svc(7, 1, 6, vp9(9, 0, 0, True)))
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    for name, seeds in (("rtp_listener", listener_seeds()), ("stream", stream_seeds())):
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        for k, v in seeds.items():
            with open(os.path.join(d, k), "wb") as f:
                f.write(v)


if __name__ == "__main__":
    main()
