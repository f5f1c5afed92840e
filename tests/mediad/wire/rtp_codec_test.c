/* Unit tests of mediad/wire/rtp_codec.c: key frame and layer detection for
 * VP8, VP9, H264, AV1 and Opus, truncations and malformed descriptors. */
#include "mediad/wire/rtp_codec.h"

#include <sys/stat.h>

#include "common/err.h"
#include "tests/test.h"

/* With BRAID_RTP_SEED_DIR=<dir> set, valid vectors are also written to
 * <dir>/<corpus>/<name>: the fuzzers' seed corpora (fuzz/mediad/wire/rtp.cmake). */
static void seed(const char *corpus, const char *name, const uint8_t *data, size_t len) {
  const char *dir = getenv("BRAID_RTP_SEED_DIR");
  if (dir == NULL) return;
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, corpus);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/%s/%s", dir, corpus, name);
  FILE *f = fopen(path, "wb");
  ASSERT(f != NULL);
  ASSERT_EQ(fwrite(data, 1, len, f), len);
  fclose(f);
}

/* Inspects a payload that must be valid; seeds the fuzzer with it. */
static braid_rtp_codec_info_t inspect_ok(braid_rtp_codec_t codec, const uint8_t *p, size_t len) {
  static const char *const names[] = {"opus", "vp8", "vp9", "h264", "av1"};
  braid_rtp_codec_info_t info;
  ASSERT_EQ(braid_rtp_codec_inspect(codec, p, len, &info), 0);
  /* Name by codec and content, so the same vector is written once. */
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++)
    h = (h ^ p[i]) * 16777619u;
  char name[64];
  snprintf(name, sizeof name, "%s_%zu_%08x", names[codec], len, (unsigned)h);
  if (len > 0) seed("rtp_codec", name, p, len);
  return info;
}

static int inspect_rc(braid_rtp_codec_t codec, const uint8_t *p, size_t len) {
  braid_rtp_codec_info_t info;
  return braid_rtp_codec_inspect(codec, p, len, &info);
}

/* ---- VP8 ---- */

/* The first packet of a 640x480 key frame with every descriptor field. */
/* clang-format off */
static const uint8_t vp8_key[] = {
    0x90,             /* X=1 N=0 S=1 PID=0 */
    0xf0,             /* I=1 L=1 T=1 K=1 */
    0x80, 0x2a,       /* M=1 PictureID 42 (15 bits) */
    0x05,             /* TL0PICIDX 5 */
    0x20,             /* TID=0 Y=1 KEYIDX=0 */
    0x10, 0x02, 0x00, /* frame tag: P=0 (key frame), show_frame, partition size */
    0x9d, 0x01, 0x2a, /* start code */
    0x80, 0x02,       /* width 640, scale 0 (little-endian) */
    0xe0, 0x01,       /* height 480, scale 0 */
    0x00,             /* more frame data */
};
/* clang-format on */

BRAID_TEST(vp8_key_frame) {
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP8, vp8_key, sizeof vp8_key);
  ASSERT(i.keyframe);
  ASSERT(i.frame_start);
  ASSERT(!i.frame_end);
  ASSERT(i.layer_sync);
  ASSERT_EQ(i.tid, 0);
  ASSERT_EQ(i.sid, -1);
  ASSERT_EQ(i.picture_id, 42);
  ASSERT_EQ(i.tl0picidx, 5);
  ASSERT_EQ(i.width, 640);
  ASSERT_EQ(i.height, 480);
  ASSERT_EQ(i.hdr_len, 6);
}

BRAID_TEST(vp8_not_key_frames) {
  /* clang-format off */
  static const uint8_t inter[] = {
      0x90,       /* X=1 S=1 PID=0 */
      0xa0,       /* I=1 T=1 */
      0x2b,       /* M=0 PictureID 43 (7 bits) */
      0x80,       /* TID=2 Y=0 */
      0x31, 0x00, /* frame tag: P=1 (inter frame) */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP8, inter, sizeof inter);
  ASSERT(!i.keyframe);
  ASSERT(i.frame_start);
  ASSERT(!i.layer_sync);
  ASSERT_EQ(i.tid, 2);
  ASSERT_EQ(i.picture_id, 43);
  ASSERT_EQ(i.tl0picidx, -1);
  ASSERT_EQ(i.hdr_len, 4);

  /* clang-format off */
  static const uint8_t middle[] = {
      0x00,       /* X=0 S=0: continues a partition */
      0x00, 0x00, /* data that would look like a key frame tag */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_VP8, middle, sizeof middle);
  ASSERT(!i.keyframe);
  ASSERT(!i.frame_start);
  ASSERT_EQ(i.tid, -1);
  ASSERT_EQ(i.hdr_len, 1);

  /* clang-format off */
  static const uint8_t partition1[] = {
      0x11, /* X=0 S=1 PID=1: start of partition 1, not of the frame */
      0x00, /* partition data */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_VP8, partition1, sizeof partition1);
  ASSERT(!i.keyframe);
  ASSERT(!i.frame_start);
}

BRAID_TEST(vp8_short_key_frame_and_k_without_t) {
  /* clang-format off */
  static const uint8_t short_key[] = {
      0x10, /* X=0 S=1 PID=0 */
      0x00, /* frame tag P=0, and nothing more in this packet */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP8, short_key, sizeof short_key);
  ASSERT(i.keyframe);
  ASSERT_EQ(i.width, 0);
  ASSERT_EQ(i.height, 0);

  /* clang-format off */
  static const uint8_t k_only[] = {
      0x90, /* X=1 S=1 PID=0 */
      0x10, /* K=1, T=0 */
      0xc5, /* TID bits set but T clear: ignored; KEYIDX 5 */
      0x01, /* inter frame */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_VP8, k_only, sizeof k_only);
  ASSERT_EQ(i.tid, -1);
  ASSERT(!i.layer_sync);
  ASSERT_EQ(i.hdr_len, 3);
}

BRAID_TEST(vp8_truncations_and_corruption) {
  /* Every cut inside the descriptor, or right after it: ETRUNC. */
  for (size_t n = 0; n <= 6; n++)
    ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_VP8, vp8_key, n), BRAID_ETRUNC);
  /* Cuts inside the key frame header: still a key frame, no size. */
  for (size_t n = 7; n < 16; n++) {
    braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP8, vp8_key, n);
    ASSERT(i.keyframe);
    ASSERT_EQ(i.width, 0);
  }
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP8, vp8_key, 16);
  ASSERT_EQ(i.width, 640);
  /* A key frame without the start code. */
  uint8_t b[sizeof vp8_key];
  memcpy(b, vp8_key, sizeof b);
  b[10] = 0x02;
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_VP8, b, sizeof b), BRAID_EMALFORMED);
  /* ... is fine when the P bit says inter frame. */
  b[6] |= 0x01;
  i = inspect_ok(BRAID_RTP_CODEC_VP8, b, sizeof b);
  ASSERT(!i.keyframe);
}

/* ---- VP9 ---- */

/* Non-flexible mode key frame with a scalability structure. */
/* clang-format off */
static const uint8_t vp9_key[] = {
    0xaa,             /* I=1 P=0 L=1 F=0 B=1 E=0 V=1 Z=0 */
    0x80, 0x01,       /* M=1 PictureID 1 */
    0x00,             /* TID=0 U=0 SID=0 D=0 */
    0x07,             /* TL0PICIDX 7 */
    0x18,             /* SS: N_S=0 (one layer) Y=1 G=1 */
    0x05, 0x00,       /* width 1280 */
    0x02, 0xd0,       /* height 720 */
    0x01,             /* N_G=1 */
    0x04,             /* T=0 U=0 R=1 */
    0x01,             /* P_DIFF 1 */
    0x82, 0x49, 0x83, /* VP9 frame data */
};
/* clang-format on */

BRAID_TEST(vp9_key_frame_non_flexible) {
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP9, vp9_key, sizeof vp9_key);
  ASSERT(i.keyframe);
  ASSERT(i.frame_start);
  ASSERT(!i.frame_end);
  ASSERT(!i.layer_sync);
  ASSERT_EQ(i.tid, 0);
  ASSERT_EQ(i.sid, 0);
  ASSERT_EQ(i.picture_id, 1);
  ASSERT_EQ(i.tl0picidx, 7);
  ASSERT_EQ(i.width, 1280);
  ASSERT_EQ(i.height, 720);
  ASSERT_EQ(i.hdr_len, 13);
  ASSERT(!i.inter_pic);
  ASSERT_EQ(i.spatial_layers, 1);
}

BRAID_TEST(vp9_flexible_inter_frame) {
  /* clang-format off */
  static const uint8_t inter[] = {
      0xfc, /* I=1 P=1 L=1 F=1 B=1 E=1 V=0 Z=0 */
      0x05, /* M=0 PictureID 5 */
      0x52, /* TID=2 U=1 SID=1 D=0 */
      0x03, /* P_DIFF 1, N=1 */
      0x04, /* P_DIFF 2, N=0 */
      0xaa, /* frame data */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP9, inter, sizeof inter);
  ASSERT(!i.keyframe);
  ASSERT(i.frame_start);
  ASSERT(i.frame_end);
  ASSERT(i.layer_sync);
  ASSERT_EQ(i.tid, 2);
  ASSERT_EQ(i.sid, 1);
  ASSERT_EQ(i.picture_id, 5);
  ASSERT_EQ(i.tl0picidx, -1);
  ASSERT_EQ(i.hdr_len, 5);
  ASSERT(i.inter_pic);
  ASSERT_EQ(i.spatial_layers, 0); /* no scalability structure */

  /* clang-format off */
  static const uint8_t four_pdiff[] = {
      0x50,                   /* P=1 F=1 */
      0x03, 0x03, 0x03, 0x02, /* four P_DIFF: one too many */
      0xaa,                   /* frame data */
  };
  /* clang-format on */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_VP9, four_pdiff, sizeof four_pdiff), BRAID_EMALFORMED);
  /* clang-format off */
  static const uint8_t three_pdiff[] = {
      0x50,             /* P=1 F=1 */
      0x03, 0x03, 0x02, /* three P_DIFF: the most allowed */
      0xaa,             /* frame data */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_VP9, three_pdiff, sizeof three_pdiff);
  ASSERT_EQ(i.hdr_len, 4);
}

BRAID_TEST(vp9_upper_layer_and_no_layers) {
  /* clang-format off */
  static const uint8_t sid1[] = {
      0x38, /* P=0 L=1 F=1 B=1 */
      0x02, /* TID=0 SID=1 */
      0xaa, /* frame data */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP9, sid1, sizeof sid1);
  ASSERT(!i.keyframe); /* only the lowest spatial layer starts a key frame */
  ASSERT_EQ(i.sid, 1);
  ASSERT(!i.inter_pic); /* an upper layer of a key frame: only its own picture's layers */
  /* clang-format off */
  static const uint8_t bare[] = {
      0x08, /* B=1, nothing else */
      0xaa, /* frame data */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_VP9, bare, sizeof bare);
  ASSERT(i.keyframe);
  ASSERT_EQ(i.tid, -1);
  ASSERT_EQ(i.sid, -1);
  ASSERT_EQ(i.picture_id, -1);
  /* clang-format off */
  static const uint8_t end[] = {
      0x44, /* P=1 E=1: the last packet of an inter frame */
      0xaa, /* frame data */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_VP9, end, sizeof end);
  ASSERT(!i.frame_start);
  ASSERT(i.frame_end);
  ASSERT(!i.keyframe);
  ASSERT(i.inter_pic);
}

BRAID_TEST(vp9_truncations) {
  for (size_t n = 0; n <= 13; n++)
    ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_VP9, vp9_key, n), BRAID_ETRUNC);
  /* clang-format off */
  static const uint8_t ss3[] = {
      0x0a,                   /* B=1 V=1 */
      0x50,                   /* N_S=2 (three layers) Y=1 G=0 */
      0x01, 0x40, 0x00, 0xb4, /* 320x180 */
      0x02, 0x80, 0x01, 0x68, /* 640x360 */
      0x05, 0x00, 0x02, 0xd0, /* 1280x720 */
      0xaa,                   /* frame data */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP9, ss3, sizeof ss3);
  ASSERT_EQ(i.width, 1280); /* the highest layer */
  ASSERT_EQ(i.height, 720);
  ASSERT_EQ(i.spatial_layers, 3);
  for (size_t n = 0; n < sizeof ss3; n++)
    ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_VP9, ss3, n), BRAID_ETRUNC);
}

/* ---- H264 ---- */

BRAID_TEST(h264_single_nal_units) {
  /* clang-format off */
  static const uint8_t idr[] = {
      0x65, /* F=0 NRI=3 type 5 (IDR slice) */
      0x88, /* slice data */
  };
  /* clang-format on */
  /* clang-format off */
  static const uint8_t sps[] = {
      0x67,             /* F=0 NRI=3 type 7 (SPS) */
      0x42, 0xc0, 0x1f, /* profile, constraints, level */
  };
  /* clang-format on */
  /* clang-format off */
  static const uint8_t slice[] = {
      0x41, /* F=0 NRI=2 type 1 (non-IDR slice) */
      0x9a, /* slice data */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_H264, idr, sizeof idr);
  ASSERT(i.keyframe);
  ASSERT(i.frame_start);
  ASSERT_EQ(i.tid, -1);
  ASSERT_EQ(i.sid, -1);
  ASSERT_EQ(i.hdr_len, 0);
  i = inspect_ok(BRAID_RTP_CODEC_H264, sps, sizeof sps);
  ASSERT(i.keyframe);
  i = inspect_ok(BRAID_RTP_CODEC_H264, slice, sizeof slice);
  ASSERT(!i.keyframe);
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_H264, idr, 0), BRAID_ETRUNC);
  /* Undefined types 0, 30, 31: ignored, no error. */
  for (uint8_t t = 0; t < 32; t += 30) {
    uint8_t b[2] = {t, 0x00};
    i = inspect_ok(BRAID_RTP_CODEC_H264, b, sizeof b);
    ASSERT(!i.keyframe);
  }
  i = inspect_ok(BRAID_RTP_CODEC_H264, (const uint8_t[]){0x1f}, 1);
  ASSERT(!i.keyframe);
}

/* Chrome's first packet of a key frame: SPS, PPS and IDR in one STAP-A. */
/* clang-format off */
static const uint8_t stap_key[] = {
    0x78,                   /* F=0 NRI=3 type 24 (STAP-A) */
    0x00, 0x04,             /* NALU 1 size 4 */
    0x67, 0x42, 0xc0, 0x1f, /* SPS */
    0x00, 0x02,             /* NALU 2 size 2 */
    0x68, 0xce,             /* PPS */
    0x00, 0x02,             /* NALU 3 size 2 */
    0x65, 0x88,             /* IDR slice */
};
/* clang-format on */

BRAID_TEST(h264_stap_a) {
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_H264, stap_key, sizeof stap_key);
  ASSERT(i.keyframe);
  ASSERT(i.frame_start);
  /* clang-format off */
  static const uint8_t sei[] = {
      0x78,       /* STAP-A */
      0x00, 0x02, /* size 2 */
      0x06, 0x05, /* SEI */
      0x00, 0x02, /* size 2 */
      0x41, 0x9a, /* non-IDR slice */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_H264, sei, sizeof sei);
  ASSERT(!i.keyframe);
  /* Every cut: inside a size field or a unit is ETRUNC; at a unit
   * boundary it is a shorter, valid STAP-A. */
  for (size_t n = 0; n < sizeof stap_key; n++) {
    int rc = inspect_rc(BRAID_RTP_CODEC_H264, stap_key, n);
    if (n == 7 || n == 11)
      ASSERT_EQ(rc, 0);
    else
      ASSERT_EQ(rc, BRAID_ETRUNC);
  }
  /* clang-format off */
  static const uint8_t zero[] = {
      0x78,       /* STAP-A */
      0x00, 0x00, /* size 0: no NAL unit is empty */
      0x65,       /* */
  };
  /* clang-format on */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_H264, zero, sizeof zero), BRAID_EMALFORMED);
  uint8_t b[sizeof stap_key];
  memcpy(b, stap_key, sizeof b);
  b[12] = 3; /* the last unit claims one byte more than there is */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_H264, b, sizeof b), BRAID_ETRUNC);
}

BRAID_TEST(h264_fu_a) {
  /* clang-format off */
  static const uint8_t start[] = {
      0x7c, /* FU indicator: F=0 NRI=3 type 28 (FU-A) */
      0x85, /* FU header: S=1 E=0 type 5 (IDR) */
      0x88, /* fragment */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_H264, start, sizeof start);
  ASSERT(i.keyframe);
  ASSERT(i.frame_start);
  /* clang-format off */
  static const uint8_t middle[] = {
      0x7c, /* FU-A */
      0x05, /* S=0 E=0 type 5 */
      0x99, /* fragment */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_H264, middle, sizeof middle);
  ASSERT(!i.keyframe);
  ASSERT(!i.frame_start);
  /* clang-format off */
  static const uint8_t end[] = {
      0x7c, /* FU-A */
      0x45, /* S=0 E=1 type 5 */
      0x99, /* fragment */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_H264, end, sizeof end);
  ASSERT(!i.keyframe);
  /* clang-format off */
  static const uint8_t slice_start[] = {
      0x5c, /* FU-A, NRI=2 */
      0x81, /* S=1 type 1 (non-IDR) */
      0x99, /* fragment */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_H264, slice_start, sizeof slice_start);
  ASSERT(!i.keyframe);
  ASSERT(i.frame_start);

  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_H264, start, 1), BRAID_ETRUNC);
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_H264, start, 2), BRAID_ETRUNC);
  static const uint8_t both[] = {0x7c, 0xc5, 0x88};   /* S=1 and E=1 */
  static const uint8_t nested[] = {0x7c, 0x98, 0x00}; /* an FU of a STAP-A */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_H264, both, sizeof both), BRAID_EMALFORMED);
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_H264, nested, sizeof nested), BRAID_EMALFORMED);
}

BRAID_TEST(h264_interleaved_types_refused) {
  /* STAP-B, MTAP16, MTAP24, FU-B: interleaved mode only. */
  for (uint8_t t = 25; t <= 29; t++) {
    if (t == 28) continue;
    uint8_t b[8] = {(uint8_t)(0x60 | t), 0x80, 0x00, 0x02, 0x65, 0x88, 0, 0};
    ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_H264, b, sizeof b), BRAID_EMALFORMED);
  }
}

/* ---- AV1 ---- */

BRAID_TEST(av1_key_frame_with_layers) {
  /* clang-format off */
  static const uint8_t key[] = {
      0x18,       /* Z=0 Y=0 W=1 N=1: one element, new coded video sequence */
      0x0c,       /* OBU header: type 1 (sequence header), X=1, no size field */
      0x30,       /* extension: TID=1 SID=2 */
      0x00, 0x01, /* OBU data */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_AV1, key, sizeof key);
  ASSERT(i.keyframe);
  ASSERT(i.frame_start);
  ASSERT_EQ(i.tid, 1);
  ASSERT_EQ(i.sid, 2);
  ASSERT_EQ(i.hdr_len, 1);
}

BRAID_TEST(av1_element_counts) {
  /* clang-format off */
  static const uint8_t w2[] = {
      0x20,       /* W=2 */
      0x02,       /* element 1: 2 bytes */
      0x30, 0xaa, /* OBU type 6 (frame), no extension */
      0x34, 0xa0, /* element 2 (the rest): frame OBU, X=1, TID=5 SID=0 */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_AV1, w2, sizeof w2);
  ASSERT(!i.keyframe);
  ASSERT_EQ(i.tid, 5);
  ASSERT_EQ(i.sid, 0);
  /* clang-format off */
  static const uint8_t w0[] = {
      0x00,       /* W=0: every element has a length */
      0x01, 0x12, /* 1 byte: temporal delimiter OBU */
      0x02, 0x30, /* 2 bytes: frame OBU ... */
      0xaa,       /* ... data */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_AV1, w0, sizeof w0);
  ASSERT_EQ(i.tid, -1);
  /* clang-format off */
  static const uint8_t cont[] = {
      0x90,       /* Z=1 W=1: continues an OBU of the previous packet */
      0xff, 0xff, /* fragment bytes, not an OBU header */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_AV1, cont, sizeof cont);
  ASSERT(!i.frame_start);
  ASSERT(!i.keyframe);
}

BRAID_TEST(av1_malformed) {
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, (const uint8_t[]){0x18}, 1), BRAID_ETRUNC);
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, NULL, 0), BRAID_ETRUNC);
  static const uint8_t leb_long[] = {0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, leb_long, sizeof leb_long), BRAID_EMALFORMED);
  static const uint8_t leb_cut[] = {0x00, 0x80};
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, leb_cut, sizeof leb_cut), BRAID_ETRUNC);
  static const uint8_t over[] = {0x00, 0x05, 0x30}; /* 5 bytes announced, 1 there */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, over, sizeof over), BRAID_EMALFORMED);
  static const uint8_t few[] = {0x30, 0x01, 0x30}; /* W=3, one element */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, few, sizeof few), BRAID_EMALFORMED);
  static const uint8_t forbidden[] = {0x10, 0x80}; /* forbidden bit set */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, forbidden, sizeof forbidden), BRAID_EMALFORMED);
  static const uint8_t no_ext[] = {0x10, 0x0c}; /* X=1, no extension byte */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, no_ext, sizeof no_ext), BRAID_EMALFORMED);
  static const uint8_t empty[] = {0x00, 0x00, 0x01, 0x12}; /* a zero-length element */
  ASSERT_EQ(inspect_rc(BRAID_RTP_CODEC_AV1, empty, sizeof empty), BRAID_EMALFORMED);
}

/* Payloads captured from Chromium 156 (loopback call without encryption). */
BRAID_TEST(chrome_captures) {
  /* clang-format off */
  static const uint8_t vp8[] = {
      0x10,                   /* VP8 descriptor: X=0 S=1 PID=0 */
      0x50, 0x48, 0x00,       /* frame tag: P=0 (key frame), show_frame, partition size */
      0x9d, 0x01, 0x2a,       /* start code */
      0x80, 0x02,             /* width 640 */
      0x68, 0x01,             /* height 360 */
      0x39, 0x6b,             /* first bytes of the frame (cut here) */
  };
  /* clang-format on */
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_VP8, vp8, sizeof vp8);
  ASSERT(i.keyframe);
  ASSERT_EQ(i.width, 640);
  ASSERT_EQ(i.height, 360);
  ASSERT_EQ(i.hdr_len, 1);
  ASSERT_EQ(i.picture_id, -1);
  /* clang-format off */
  static const uint8_t h264[] = {
      0x78,                                                 /* STAP-A */
      0x00, 0x13,                                           /* NALU 1: 19 bytes */
      0x67, 0x42, 0xc0, 0x15, 0x8c, 0x8d, 0x40, 0xa0, 0xcb, /* SPS (baseline, level 2.1) */
      0xcf, 0x35, 0x06, 0x06, 0x06, 0x07, 0x84, 0x42, 0x35, /* ... */
      0x00,                                                 /* ... */
      0x00, 0x04,                                           /* NALU 2: 4 bytes */
      0x68, 0xce, 0x3c, 0x80,                               /* PPS (the IDR followed: cut) */
  };
  /* clang-format on */
  i = inspect_ok(BRAID_RTP_CODEC_H264, h264, sizeof h264);
  ASSERT(i.keyframe);
  ASSERT(i.frame_start);
}

/* ---- Opus and the dispatcher ---- */

static void same_info(const braid_rtp_codec_info_t *a, const braid_rtp_codec_info_t *b) {
  ASSERT_EQ(a->keyframe, b->keyframe);
  ASSERT_EQ(a->frame_start, b->frame_start);
  ASSERT_EQ(a->frame_end, b->frame_end);
  ASSERT_EQ(a->layer_sync, b->layer_sync);
  ASSERT_EQ(a->tid, b->tid);
  ASSERT_EQ(a->sid, b->sid);
  ASSERT_EQ(a->picture_id, b->picture_id);
  ASSERT_EQ(a->tl0picidx, b->tl0picidx);
  ASSERT_EQ(a->width, b->width);
  ASSERT_EQ(a->height, b->height);
  ASSERT_EQ(a->hdr_len, b->hdr_len);
}

BRAID_TEST(opus_and_dispatch) {
  braid_rtp_codec_info_t i = inspect_ok(BRAID_RTP_CODEC_OPUS, NULL, 0);
  ASSERT(i.keyframe);
  ASSERT(i.frame_start);
  ASSERT_EQ(i.tid, -1);
  i = inspect_ok(BRAID_RTP_CODEC_OPUS, (const uint8_t[]){0x78, 0x01}, 2);
  ASSERT(i.keyframe);
  ASSERT_EQ(inspect_rc((braid_rtp_codec_t)99, vp8_key, sizeof vp8_key), BRAID_EINVAL);
  /* The dispatcher and the per-codec functions agree. */
  braid_rtp_codec_info_t a, b;
  ASSERT_EQ(braid_rtp_codec_vp8_inspect(vp8_key, sizeof vp8_key, &a), 0);
  ASSERT_EQ(braid_rtp_codec_inspect(BRAID_RTP_CODEC_VP8, vp8_key, sizeof vp8_key, &b), 0);
  same_info(&a, &b);
  ASSERT_EQ(braid_rtp_codec_vp9_inspect(vp9_key, sizeof vp9_key, &a), 0);
  ASSERT_EQ(braid_rtp_codec_inspect(BRAID_RTP_CODEC_VP9, vp9_key, sizeof vp9_key, &b), 0);
  same_info(&a, &b);
  ASSERT_EQ(braid_rtp_codec_h264_inspect(stap_key, sizeof stap_key, &a), 0);
  ASSERT_EQ(braid_rtp_codec_inspect(BRAID_RTP_CODEC_H264, stap_key, sizeof stap_key, &b), 0);
  same_info(&a, &b);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vp8_key_frame)
    BRAID_TEST_ENTRY(vp8_not_key_frames)
    BRAID_TEST_ENTRY(vp8_short_key_frame_and_k_without_t)
    BRAID_TEST_ENTRY(vp8_truncations_and_corruption)
    BRAID_TEST_ENTRY(vp9_key_frame_non_flexible)
    BRAID_TEST_ENTRY(vp9_flexible_inter_frame)
    BRAID_TEST_ENTRY(vp9_upper_layer_and_no_layers)
    BRAID_TEST_ENTRY(vp9_truncations)
    BRAID_TEST_ENTRY(h264_single_nal_units)
    BRAID_TEST_ENTRY(h264_stap_a)
    BRAID_TEST_ENTRY(h264_fu_a)
    BRAID_TEST_ENTRY(h264_interleaved_types_refused)
    BRAID_TEST_ENTRY(av1_key_frame_with_layers)
    BRAID_TEST_ENTRY(av1_element_counts)
    BRAID_TEST_ENTRY(av1_malformed)
    BRAID_TEST_ENTRY(chrome_captures)
    BRAID_TEST_ENTRY(opus_and_dispatch)
)
/* clang-format on */
