# Unit tests of the RTP wire layer (mediad/wire/rtp_*.c), one binary each.
foreach(t packet ext rtx codec)
  braid_unit_test(mediad_rtp_${t}_test rtp_${t}_test.c)
endforeach()
