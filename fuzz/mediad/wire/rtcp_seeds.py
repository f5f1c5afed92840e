#!/usr/bin/env python3
"""Writes the seed corpora of the per-type RTCP fuzzers (rtcp.cmake).

    python3 fuzz/mediad/wire/rtcp_seeds.py <build dir>

1. Runs the RTCP unit tests of <build dir> with BRAID_RTCP_SEED_DIR set, which
   writes every valid vector (<type>_<what>) and every annotated malformed one
   (bad_<type>_<what>) to a temporary directory (tests/mediad/wire/rtcp/
   rtcp_test.h).
2. Copies them into corpus/rtcp_<type>/ by their name; the common feedback
   format gets every feedback vector (NACK, TWCC, PLI, FIR, REMB).
3. Cuts the Chromium captures of corpus/rtcp_compound/ (capture_*) into
   packets and adds each to the corpus of its type as
   capture_<compound>_<index>; report blocks are cut out of the SRs and RRs.

Files already in a corpus are kept (regress_* inputs, for instance); the
compound corpus is not touched.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
TYPES = ["report_block", "sr", "rr", "sdes", "bye", "app", "xr", "fb", "pli", "fir",
         "remb", "nack", "twcc"]
FEEDBACK = ["fb", "nack", "twcc", "pli", "fir", "remb"]


def type_of_packet(pkt):
    """The corpus a captured packet goes to, from its PT and FMT."""
    pt, fmt = pkt[1], pkt[0] & 0x1F
    if pt == 200:
        return "sr"
    if pt == 201:
        return "rr"
    if pt == 202:
        return "sdes"
    if pt == 203:
        return "bye"
    if pt == 204:
        return "app"
    if pt == 207:
        return "xr"
    if pt == 205:
        return {1: "nack", 15: "twcc"}.get(fmt)
    if pt == 206:
        return {1: "pli", 4: "fir", 15: "remb"}.get(fmt)
    return None


def packets(datagram):
    """The packets of a compound, by their length fields (no validation:
    the captures are known to be well formed)."""
    off = 0
    while off + 4 <= len(datagram):
        n = ((datagram[off + 2] << 8 | datagram[off + 3]) + 1) * 4
        yield datagram[off:off + n]
        off += n


def report_blocks(pkt):
    """The report blocks of an SR or RR."""
    count = pkt[0] & 0x1F
    start = 28 if pkt[1] == 200 else 8
    for i in range(count):
        yield pkt[start + 24 * i:start + 24 * (i + 1)]


def put(kind, name, data):
    d = os.path.join(CORPUS, "rtcp_" + kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tests = sorted(glob.glob(os.path.join(sys.argv[1], "tests", "mediad", "wire",
                                          "mediad_rtcp_*_test")))
    if not tests:
        sys.exit("no mediad_rtcp_*_test under " + sys.argv[1])
    seeds = tempfile.mkdtemp(prefix="rtcp-seeds-")
    try:
        for t in tests:
            subprocess.run([t], check=True, stdout=subprocess.DEVNULL,
                           env=dict(os.environ, BRAID_RTCP_SEED_DIR=seeds))
        for name in sorted(os.listdir(seeds)):
            with open(os.path.join(seeds, name), "rb") as f:
                data = f.read()
            stem = name[4:] if name.startswith("bad_") else name
            for kind in TYPES:
                if stem == kind or stem.startswith(kind + "_"):
                    put(kind, name, data)
                    if kind in FEEDBACK and kind != "fb":
                        put("fb", name, data)
    finally:
        shutil.rmtree(seeds)
    for path in sorted(glob.glob(os.path.join(CORPUS, "rtcp_compound", "capture_*"))):
        with open(path, "rb") as f:
            datagram = f.read()
        base = os.path.basename(path)
        for i, pkt in enumerate(packets(datagram)):
            kind = type_of_packet(pkt)
            if kind is None:
                continue
            if pkt == datagram and os.path.exists(os.path.join(CORPUS, "rtcp_" + kind, base)):
                continue  # already there whole
            put(kind, "%s_%d" % (base, i), pkt)
            if kind in FEEDBACK:
                put("fb", "%s_%d" % (base, i), pkt)
            if kind in ("sr", "rr"):
                for j, blk in enumerate(report_blocks(pkt)):
                    put("report_block", "%s_%d_%d" % (base, i, j), blk)


if __name__ == "__main__":
    main()
