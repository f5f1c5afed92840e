/* Unit tests of mediad/rtc/seq_rewriter.c: continuity across drops, loss,
 * reordering, pauses and source switches; 16-bit seq and 32-bit ts wraps. */
#include "mediad/rtc/seq_rewriter.h"

#include "tests/mediad/rtc/rtp_maker.h"

/* Forwards (seq, ts) and checks the output. */
static void fwd(braid_seq_rewriter_t *rw, uint16_t seq, uint32_t ts, int64_t now, uint16_t want_seq,
                uint32_t want_ts) {
  uint16_t os;
  uint32_t ots;
  ASSERT_EQ(braid_seq_rewriter_input(rw, seq, ts, true, now, &os, &ots), 0);
  ASSERT_EQ(os, want_seq);
  ASSERT_EQ(ots, want_ts);
}

BRAID_TEST(in_order_first_packet_maps_to_first_out_seq) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1000);
  for (uint16_t i = 0; i < 10; i++) fwd(&rw, (uint16_t)(5000 + i), 3000u * i, i, 1000 + i, 3000u * i);
}

BRAID_TEST(seq_wraps_through_65535) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 65533);
  uint16_t in = 65530, out = 65533;
  for (int i = 0; i < 12; i++) fwd(&rw, in++, 100, 0, out++, 100);
  ASSERT_EQ(out, 9); /* output wrapped too */
}

BRAID_TEST(ts_wraps_through_2_32) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1);
  fwd(&rw, 10, 0xffffff00u, 0, 1, 0xffffff00u);
  fwd(&rw, 11, 0x00000100u, 10, 2, 0x00000100u); /* input wrapped: output too */
  /* A switch 100 ms later continues from the wrapped timestamp. */
  braid_seq_rewriter_sync(&rw, 500, 777, 110, 0);
  fwd(&rw, 500, 777, 110, 3, 0x100u + 9000);
}

BRAID_TEST(dropped_inputs_leave_no_gap) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1000);
  fwd(&rw, 1, 0, 0, 1000, 0);
  fwd(&rw, 2, 0, 0, 1001, 0);
  braid_seq_rewriter_drop(&rw, 3);
  braid_seq_rewriter_drop(&rw, 4);
  fwd(&rw, 5, 0, 0, 1002, 0);
  fwd(&rw, 6, 0, 0, 1003, 0);
}

BRAID_TEST(dropped_input_stays_dropped) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1000);
  fwd(&rw, 1, 0, 0, 1000, 0);
  braid_seq_rewriter_drop(&rw, 2);
  uint16_t os;
  uint32_t ots;
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 2, 0, false, 0, &os, &ots), BRAID_EEXIST);
  fwd(&rw, 3, 0, 0, 1001, 0);
}

BRAID_TEST(loss_keeps_its_gap_and_late_packet_fills_it) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1000);
  fwd(&rw, 1, 0, 0, 1000, 0);
  fwd(&rw, 2, 0, 0, 1001, 0);
  fwd(&rw, 4, 0, 0, 1003, 0); /* 3 lost: the receiver must see the hole to NACK it */
  fwd(&rw, 3, 0, 0, 1002, 0); /* repaired or reordered */
}

BRAID_TEST(reordered_input_older_than_a_drop_keeps_its_place) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1000);
  fwd(&rw, 1, 0, 0, 1000, 0);
  braid_seq_rewriter_drop(&rw, 3); /* 2 not here yet */
  fwd(&rw, 2, 0, 0, 1001, 0);
  fwd(&rw, 4, 0, 0, 1002, 0);
  /* A drop older than the newest input is ignored (mediasoup): 5 keeps a slot. */
  fwd(&rw, 7, 0, 0, 1005, 0);
  braid_seq_rewriter_drop(&rw, 5);
  fwd(&rw, 6, 0, 0, 1004, 0);
}

BRAID_TEST(duplicate_maps_to_the_same_output) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 48000, 7);
  fwd(&rw, 100, 960, 0, 7, 960);
  fwd(&rw, 101, 1920, 0, 8, 1920);
  fwd(&rw, 100, 960, 0, 7, 960);
}

BRAID_TEST(too_old_and_before_sync_are_rejected) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1000);
  uint16_t os;
  uint32_t ots;
  fwd(&rw, 100, 0, 0, 1000, 0);
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 99, 0, true, 0, &os, &ots), BRAID_ESTATE);
  for (uint16_t s = 101; s < 101 + BRAID_SEQ_REWRITER_WINDOW + 5; s++)
    ASSERT_EQ(braid_seq_rewriter_input(&rw, s, 0, true, 0, &os, &ots), 0);
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 102, 0, true, 0, &os, &ots), BRAID_ESTATE);
  /* After a sync, the old source's packets are refused. */
  braid_seq_rewriter_sync(&rw, 40000, 5, 0, 0);
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 39999, 5, true, 0, &os, &ots), BRAID_ESTATE);
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 30000, 5, true, 0, &os, &ots), BRAID_ESTATE);
  /* An old-source seq that reads as "ahead" cannot be told apart here:
   * the simulcast selector filters streams before the rewriter. */
}

BRAID_TEST(switch_rebases_seq_and_ts_by_wall_clock) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 2000);
  /* Stream A: 30 fps, 3000 ticks per frame. */
  for (uint16_t i = 0; i < 5; i++) fwd(&rw, (uint16_t)(100 + i), 1000u + 3000u * i, 33 * i, 2000 + i, 1000u + 3000u * i);
  /* Stream B's key frame 250 ms after A's last packet (at 132 ms). */
  braid_seq_rewriter_sync(&rw, 300, 123456789u, 382, 0);
  uint32_t want = 1000u + 3000u * 4 + 250u * 90;
  fwd(&rw, 300, 123456789u, 382, 2005, want);
  fwd(&rw, 301, 123456789u + 3000, 415, 2006, want + 3000);
  /* A late packet of stream A is refused. */
  uint16_t os;
  uint32_t ots;
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 105, 16000, true, 420, &os, &ots), BRAID_ESTATE);
}

BRAID_TEST(switch_in_the_same_ms_still_moves_ts_forward) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1);
  fwd(&rw, 1, 5000, 10, 1, 5000);
  braid_seq_rewriter_sync(&rw, 900, 1, 10, 0);
  fwd(&rw, 900, 1, 10, 2, 5001);
}

BRAID_TEST(mark_gap_after_an_incomplete_frame) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 10);
  uint16_t os;
  uint32_t ots;
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 1, 0, false, 0, &os, &ots), 0); /* no marker */
  braid_seq_rewriter_sync(&rw, 50, 0, 0, BRAID_SEQ_REWRITER_MARK_GAP);
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 50, 0, true, 0, &os, &ots), 0);
  ASSERT_EQ(os, 12); /* 11 skipped */
  /* After a complete frame no seq is skipped. */
  braid_seq_rewriter_sync(&rw, 70, 0, 0, BRAID_SEQ_REWRITER_MARK_GAP);
  ASSERT_EQ(braid_seq_rewriter_input(&rw, 70, 0, true, 0, &os, &ots), 0);
  ASSERT_EQ(os, 13);
}

BRAID_TEST(resume_same_source_keeps_ts) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 48000, 500);
  fwd(&rw, 10, 48000, 0, 500, 48000);
  /* Paused for 2 s: inputs 11..110 never reach the rewriter. */
  braid_seq_rewriter_sync(&rw, 111, 48000 + 96000, 2000, BRAID_SEQ_REWRITER_KEEP_TS);
  fwd(&rw, 111, 48000 + 96000, 2000, 501, 48000 + 96000);
  /* A source whose ts went backwards falls back to the wall clock. */
  braid_seq_rewriter_sync(&rw, 200, 10, 2100, BRAID_SEQ_REWRITER_KEEP_TS);
  fwd(&rw, 200, 10, 2100, 502, 48000 + 96000 + 4800);
}

BRAID_TEST(drop_before_start_is_ignored) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1000);
  braid_seq_rewriter_drop(&rw, 5);
  fwd(&rw, 6, 0, 0, 1000, 0);
}

BRAID_TEST(long_run_of_drops_across_the_window_and_wrap) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1000);
  fwd(&rw, 60000, 0, 0, 1000, 0);
  for (uint32_t i = 1; i <= 9000; i++) braid_seq_rewriter_drop(&rw, (uint16_t)(60000 + i));
  fwd(&rw, (uint16_t)(60000 + 9001), 0, 0, 1001, 0);
}

/* Deterministic pseudo-random numbers (xorshift). */
static uint32_t rnd(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* Every input in order is forwarded (F), dropped (D) or lost (L); lost
 * ones keep their output slot, dropped ones do not; some lost ones arrive
 * late (reordered) and must land in their slot. */
BRAID_TEST(randomized_forward_drop_loss_reorder) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 30000);
  uint32_t seed = 12345;
  enum { N = 20000 };
  static uint16_t expected[N];
  static uint8_t kind[N]; /* 0 F, 1 D, 2 L */
  uint16_t next_out = 30000;
  uint16_t base_in = 65000;
  for (int i = 0; i < N; i++) {
    uint32_t r = rnd(&seed) % 100;
    kind[i] = i == 0 ? 0 : r < 70 ? 0 : r < 90 ? 1 : 2;
    expected[i] = next_out;
    if (kind[i] != 1) next_out++;
  }
  int late = -1; /* a lost packet delivered a few packets later */
  for (int i = 0; i < N; i++) {
    uint16_t seq = (uint16_t)(base_in + i), os;
    uint32_t ots;
    if (kind[i] == 1) braid_seq_rewriter_drop(&rw, seq);
    if (kind[i] == 0) {
      ASSERT_EQ(braid_seq_rewriter_input(&rw, seq, 0, true, 0, &os, &ots), 0);
      ASSERT_EQ(os, expected[i]);
    }
    if (kind[i] == 2 && late < 0 && rnd(&seed) % 2) late = i;
    if (late >= 0 && i - late == 7) {
      ASSERT_EQ(braid_seq_rewriter_input(&rw, (uint16_t)(base_in + late), 0, true, 0, &os, &ots), 0);
      ASSERT_EQ(os, expected[late]);
      late = -1;
    }
  }
}

BRAID_TEST(cost_per_packet) {
  braid_seq_rewriter_t rw;
  braid_seq_rewriter_init(&rw, 90000, 1);
  uint16_t os;
  uint32_t ots, acc = 0;
  int64_t t0 = test_now_ns();
  for (uint32_t i = 0; i < 1000000; i++) {
    ASSERT(braid_seq_rewriter_input(&rw, (uint16_t)i, i * 3000, true, i, &os, &ots) == 0);
    acc += os;
  }
  int64_t t1 = test_now_ns();
  printf("  seq_rewriter: %.1f ns per in-order packet (acc %u)\n", (double)(t1 - t0) / 1e6, acc);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(in_order_first_packet_maps_to_first_out_seq)
                BRAID_TEST_ENTRY(seq_wraps_through_65535)
                BRAID_TEST_ENTRY(ts_wraps_through_2_32)
                BRAID_TEST_ENTRY(dropped_inputs_leave_no_gap)
                BRAID_TEST_ENTRY(dropped_input_stays_dropped)
                BRAID_TEST_ENTRY(loss_keeps_its_gap_and_late_packet_fills_it)
                BRAID_TEST_ENTRY(reordered_input_older_than_a_drop_keeps_its_place)
                BRAID_TEST_ENTRY(duplicate_maps_to_the_same_output)
                BRAID_TEST_ENTRY(too_old_and_before_sync_are_rejected)
                BRAID_TEST_ENTRY(switch_rebases_seq_and_ts_by_wall_clock)
                BRAID_TEST_ENTRY(switch_in_the_same_ms_still_moves_ts_forward)
                BRAID_TEST_ENTRY(mark_gap_after_an_incomplete_frame)
                BRAID_TEST_ENTRY(resume_same_source_keeps_ts)
                BRAID_TEST_ENTRY(drop_before_start_is_ignored)
                BRAID_TEST_ENTRY(long_run_of_drops_across_the_window_and_wrap)
                BRAID_TEST_ENTRY(randomized_forward_drop_loss_reorder)
                BRAID_TEST_ENTRY(cost_per_packet))
