# RTCP wire layer (mediad/wire/rtcp/): one file per packet type, the
# compound iterator and the compound builder. Included by CMakeLists.txt.
list(APPEND BRAID_WIRE_SOURCES
  rtcp/header.c
  rtcp/compound.c
  rtcp/builder.c
  rtcp/report_block.c
  rtcp/sr.c
  rtcp/rr.c
  rtcp/sdes.c
  rtcp/bye.c
  rtcp/app.c
  rtcp/xr.c
  rtcp/fb.c
  rtcp/nack.c
  rtcp/pli.c
  rtcp/fir.c
  rtcp/remb.c
  rtcp/twcc.c)
