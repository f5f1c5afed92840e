/*
 * Fuzzer for braid_cmd_decode(): decode; on success check every view and
 * limit, re-encode, decode again, compare every field (nested arrays
 * included), and check that encoding is canonical
 * (encode(decode(encode(x))) == encode(x)) and that the encoder fails
 * cleanly without memory.
 */
#include "proto/cmd.h"

#include "common/limits.h"
#include "fuzz/proto/fuzz_proto.h"

static bool one_of(braid_str_t s, const char *const *allowed) {
  for (; *allowed != NULL; allowed++)
    if (braid_str_eq(s, *allowed)) return true;
  return false;
}

static const char *const kinds[] = {"audio", "video", NULL};

static void check_same_ext(const braid_rtp_ext_ids_t *a, const braid_rtp_ext_ids_t *b) {
  BRAID_ASSERT(a->mid == b->mid && a->rid == b->rid && a->rrid == b->rrid);
  BRAID_ASSERT(a->abs_send_time == b->abs_send_time && a->twcc == b->twcc);
  BRAID_ASSERT(a->audio_level == b->audio_level && a->video_orientation == b->video_orientation);
  BRAID_ASSERT(a->toffset == b->toffset && a->abs_capture_time == b->abs_capture_time);
  BRAID_ASSERT(a->playout_delay == b->playout_delay && a->dd == b->dd);
}

static void check_same_transport(const braid_cmd_t *a, const braid_cmd_t *b) {
  switch (a->type) {
  case BRAID_CMD_TRANSPORT_CREATE_WEBRTC: {
    const braid_cmd_transport_create_t *x = &a->u.transport_create, *y = &b->u.transport_create;
    BRAID_ASSERT(fuzz_str_same(x->router_id, y->router_id));
    BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
    BRAID_ASSERT(fuzz_str_same(x->ufrag, y->ufrag) && fuzz_str_same(x->pwd, y->pwd));
    BRAID_ASSERT(x->enable_udp == y->enable_udp && x->enable_tcp == y->enable_tcp);
    BRAID_ASSERT(x->consent_timeout_s == y->consent_timeout_s);
    BRAID_ASSERT(x->enable_sctp == y->enable_sctp && x->sctp_os == y->sctp_os);
    BRAID_ASSERT(x->sctp_mis == y->sctp_mis);
    BRAID_ASSERT(x->sctp_max_message_size == y->sctp_max_message_size);
    break;
  }
  case BRAID_CMD_TRANSPORT_CONNECT: {
    const braid_cmd_transport_connect_t *x = &a->u.transport_connect, *y = &b->u.transport_connect;
    BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
    BRAID_ASSERT(fuzz_str_same(x->remote_role, y->remote_role));
    BRAID_ASSERT(fuzz_str_same(x->fp_algorithm, y->fp_algorithm));
    BRAID_ASSERT(fuzz_str_same(x->fp_value, y->fp_value));
    break;
  }
  case BRAID_CMD_TRANSPORT_RESTART_ICE: {
    const braid_cmd_transport_restart_ice_t *x = &a->u.transport_restart_ice,
                                            *y = &b->u.transport_restart_ice;
    BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
    BRAID_ASSERT(fuzz_str_same(x->ufrag, y->ufrag) && fuzz_str_same(x->pwd, y->pwd));
    break;
  }
  case BRAID_CMD_TRANSPORT_CREATE_PLAIN: {
    const braid_cmd_transport_create_plain_t *x = &a->u.transport_create_plain,
                                             *y = &b->u.transport_create_plain;
    BRAID_ASSERT(fuzz_str_same(x->router_id, y->router_id));
    BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
    BRAID_ASSERT(x->rtcp_mux == y->rtcp_mux && x->comedia == y->comedia);
    BRAID_ASSERT(x->enable_srtp == y->enable_srtp && x->enable_sctp == y->enable_sctp);
    BRAID_ASSERT(x->sctp_os == y->sctp_os && x->sctp_mis == y->sctp_mis);
    BRAID_ASSERT(x->sctp_max_message_size == y->sctp_max_message_size);
    BRAID_ASSERT(x->pipe == y->pipe);
    break;
  }
  case BRAID_CMD_TRANSPORT_CONNECT_PLAIN: {
    const braid_cmd_transport_connect_plain_t *x = &a->u.transport_connect_plain,
                                              *y = &b->u.transport_connect_plain;
    BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
    BRAID_ASSERT(fuzz_str_same(x->ip, y->ip));
    BRAID_ASSERT(x->port == y->port && x->rtcp_port == y->rtcp_port);
    BRAID_ASSERT(fuzz_str_same(x->srtp_suite, y->srtp_suite));
    BRAID_ASSERT(fuzz_str_same(x->srtp_key, y->srtp_key));
    BRAID_ASSERT(fuzz_str_same(x->srtp_local_key, y->srtp_local_key));
    break;
  }
  default:
    BRAID_ASSERT(a->type == BRAID_CMD_TRANSPORT_CLOSE || a->type == BRAID_CMD_TRANSPORT_STATS);
    BRAID_ASSERT(
        fuzz_str_same(a->u.transport_close.transport_id, b->u.transport_close.transport_id));
  }
}

static void check_same_producer(const braid_cmd_producer_create_t *x,
                                const braid_cmd_producer_create_t *y) {
  BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
  BRAID_ASSERT(fuzz_str_same(x->producer_id, y->producer_id));
  BRAID_ASSERT(fuzz_str_same(x->kind, y->kind) && fuzz_str_same(x->type, y->type));
  BRAID_ASSERT(x->paused == y->paused);
  BRAID_ASSERT(x->key_frame_request_delay_ms == y->key_frame_request_delay_ms);
  BRAID_ASSERT(fuzz_str_same(x->mid, y->mid) && fuzz_str_same(x->cname, y->cname));
  BRAID_ASSERT(x->fb == y->fb);
  check_same_ext(&x->ext, &y->ext);
  BRAID_ASSERT(x->ncodecs == y->ncodecs && x->nencodings == y->nencodings);
  for (size_t i = 0; i < x->ncodecs; i++) {
    const braid_producer_codec_t *k = &x->codecs[i], *l = &y->codecs[i];
    BRAID_ASSERT(k->pt == l->pt && k->mapped_pt == l->mapped_pt && k->apt == l->apt);
    BRAID_ASSERT(fuzz_str_same(k->mime, l->mime) && k->clock_rate == l->clock_rate);
  }
  for (size_t i = 0; i < x->nencodings; i++) {
    const braid_producer_encoding_t *e = &x->encodings[i], *f = &y->encodings[i];
    BRAID_ASSERT(e->ssrc == f->ssrc && fuzz_str_same(e->rid, f->rid));
    BRAID_ASSERT(e->rtx_ssrc == f->rtx_ssrc && e->mapped_ssrc == f->mapped_ssrc);
    BRAID_ASSERT(e->spatial_layers == f->spatial_layers);
    BRAID_ASSERT(e->temporal_layers == f->temporal_layers);
    BRAID_ASSERT(e->ksvc == f->ksvc && e->max_bitrate == f->max_bitrate);
  }
}

static void check_same_consumer(const braid_cmd_consumer_create_t *x,
                                const braid_cmd_consumer_create_t *y) {
  BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
  BRAID_ASSERT(fuzz_str_same(x->consumer_id, y->consumer_id));
  BRAID_ASSERT(fuzz_str_same(x->producer_id, y->producer_id));
  BRAID_ASSERT(fuzz_str_same(x->kind, y->kind) && fuzz_str_same(x->type, y->type));
  BRAID_ASSERT(x->paused == y->paused && fuzz_str_same(x->mid, y->mid));
  BRAID_ASSERT(x->ssrc == y->ssrc && x->rtx_ssrc == y->rtx_ssrc);
  BRAID_ASSERT(fuzz_str_same(x->cname, y->cname) && x->fb == y->fb);
  check_same_ext(&x->ext, &y->ext); /* rid, rrid, dd: 0 on both sides */
  BRAID_ASSERT(x->ncodecs == y->ncodecs);
  for (size_t i = 0; i < x->ncodecs; i++) {
    const braid_consumer_codec_t *k = &x->codecs[i], *l = &y->codecs[i];
    BRAID_ASSERT(k->pt == l->pt && k->rtx_pt == l->rtx_pt);
    BRAID_ASSERT(fuzz_str_same(k->mime, l->mime) && k->clock_rate == l->clock_rate);
  }
  BRAID_ASSERT(x->preferred_spatial == y->preferred_spatial);
  BRAID_ASSERT(x->preferred_temporal == y->preferred_temporal);
  BRAID_ASSERT(x->ignore_dtx == y->ignore_dtx);
}

static void check_same_data(const braid_cmd_t *a, const braid_cmd_t *b) {
  switch (a->type) {
  case BRAID_CMD_DATA_PRODUCER_CREATE: {
    const braid_cmd_data_producer_create_t *x = &a->u.data_producer_create,
                                           *y = &b->u.data_producer_create;
    BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
    BRAID_ASSERT(fuzz_str_same(x->data_producer_id, y->data_producer_id));
    BRAID_ASSERT(x->stream == y->stream && x->paused == y->paused);
    BRAID_ASSERT(x->ordered == y->ordered);
    BRAID_ASSERT(x->has_max_packet_life_time == y->has_max_packet_life_time);
    BRAID_ASSERT(x->max_packet_life_time == y->max_packet_life_time);
    BRAID_ASSERT(x->has_max_retransmits == y->has_max_retransmits);
    BRAID_ASSERT(x->max_retransmits == y->max_retransmits);
    BRAID_ASSERT(fuzz_str_same(x->label, y->label) && fuzz_str_same(x->protocol, y->protocol));
    break;
  }
  case BRAID_CMD_DATA_CONSUMER_CREATE: {
    const braid_cmd_data_consumer_create_t *x = &a->u.data_consumer_create,
                                           *y = &b->u.data_consumer_create;
    BRAID_ASSERT(fuzz_str_same(x->transport_id, y->transport_id));
    BRAID_ASSERT(fuzz_str_same(x->data_consumer_id, y->data_consumer_id));
    BRAID_ASSERT(fuzz_str_same(x->data_producer_id, y->data_producer_id));
    BRAID_ASSERT(x->paused == y->paused);
    BRAID_ASSERT(x->ordered == y->ordered);
    BRAID_ASSERT(x->has_max_packet_life_time == y->has_max_packet_life_time);
    BRAID_ASSERT(x->max_packet_life_time == y->max_packet_life_time);
    BRAID_ASSERT(x->has_max_retransmits == y->has_max_retransmits);
    BRAID_ASSERT(x->max_retransmits == y->max_retransmits);
    break;
  }
  case BRAID_CMD_DATA_PRODUCER_CLOSE:
  case BRAID_CMD_DATA_PRODUCER_PAUSE:
  case BRAID_CMD_DATA_PRODUCER_RESUME:
  case BRAID_CMD_DATA_PRODUCER_STATS:
    BRAID_ASSERT(fuzz_str_same(a->u.data_producer_ref.data_producer_id,
                               b->u.data_producer_ref.data_producer_id));
    break;
  default:
    BRAID_ASSERT(
        a->type == BRAID_CMD_DATA_CONSUMER_CLOSE || a->type == BRAID_CMD_DATA_CONSUMER_PAUSE ||
        a->type == BRAID_CMD_DATA_CONSUMER_RESUME || a->type == BRAID_CMD_DATA_CONSUMER_STATS);
    BRAID_ASSERT(fuzz_str_same(a->u.data_consumer_ref.data_consumer_id,
                               b->u.data_consumer_ref.data_consumer_id));
  }
}

static void check_same(const braid_cmd_t *a, const braid_cmd_t *b) {
  BRAID_ASSERT(a->type == b->type && a->id == b->id && a->deadline_ms == b->deadline_ms);
  BRAID_ASSERT(fuzz_str_same(a->reply_to, b->reply_to));
  switch (a->type) {
  case BRAID_CMD_ROUTER_CREATE:
    BRAID_ASSERT(fuzz_str_same(a->u.router_create.router_id, b->u.router_create.router_id));
    BRAID_ASSERT(fuzz_str_same(a->u.router_create.room_id, b->u.router_create.room_id));
    break;
  case BRAID_CMD_ROUTER_CLOSE:
    BRAID_ASSERT(fuzz_str_same(a->u.router_close.router_id, b->u.router_close.router_id));
    break;
  case BRAID_CMD_NODE_DUMP: break;
  case BRAID_CMD_TRANSPORT_CREATE_WEBRTC:
  case BRAID_CMD_TRANSPORT_CONNECT:
  case BRAID_CMD_TRANSPORT_RESTART_ICE:
  case BRAID_CMD_TRANSPORT_CLOSE:
  case BRAID_CMD_TRANSPORT_STATS:
  case BRAID_CMD_TRANSPORT_CREATE_PLAIN:
  case BRAID_CMD_TRANSPORT_CONNECT_PLAIN: check_same_transport(a, b); break;
  case BRAID_CMD_PRODUCER_CREATE:
    check_same_producer(&a->u.producer_create, &b->u.producer_create);
    break;
  case BRAID_CMD_PRODUCER_CLOSE:
  case BRAID_CMD_PRODUCER_PAUSE:
  case BRAID_CMD_PRODUCER_RESUME:
  case BRAID_CMD_PRODUCER_STATS:
    BRAID_ASSERT(fuzz_str_same(a->u.producer_ref.producer_id, b->u.producer_ref.producer_id));
    break;
  case BRAID_CMD_CONSUMER_CREATE:
    check_same_consumer(&a->u.consumer_create, &b->u.consumer_create);
    break;
  case BRAID_CMD_CONSUMER_CLOSE:
  case BRAID_CMD_CONSUMER_PAUSE:
  case BRAID_CMD_CONSUMER_RESUME:
  case BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME:
  case BRAID_CMD_CONSUMER_STATS:
    BRAID_ASSERT(fuzz_str_same(a->u.consumer_ref.consumer_id, b->u.consumer_ref.consumer_id));
    break;
  case BRAID_CMD_CONSUMER_SET_LAYERS: {
    const braid_cmd_consumer_layers_t *x = &a->u.consumer_layers, *y = &b->u.consumer_layers;
    BRAID_ASSERT(fuzz_str_same(x->consumer_id, y->consumer_id));
    BRAID_ASSERT(x->spatial == y->spatial && x->temporal == y->temporal);
    break;
  }
  case BRAID_CMD_CONSUMER_SET_PRIORITY: {
    const braid_cmd_consumer_priority_t *x = &a->u.consumer_priority, *y = &b->u.consumer_priority;
    BRAID_ASSERT(fuzz_str_same(x->consumer_id, y->consumer_id));
    BRAID_ASSERT(x->priority == y->priority && x->priority >= 1);
    break;
  }
  case BRAID_CMD_DATA_PRODUCER_CREATE:
  case BRAID_CMD_DATA_PRODUCER_CLOSE:
  case BRAID_CMD_DATA_PRODUCER_PAUSE:
  case BRAID_CMD_DATA_PRODUCER_RESUME:
  case BRAID_CMD_DATA_PRODUCER_STATS:
  case BRAID_CMD_DATA_CONSUMER_CREATE:
  case BRAID_CMD_DATA_CONSUMER_CLOSE:
  case BRAID_CMD_DATA_CONSUMER_PAUSE:
  case BRAID_CMD_DATA_CONSUMER_RESUME:
  case BRAID_CMD_DATA_CONSUMER_STATS: check_same_data(a, b); break;
  }
}

/* A view inside the input and within its limit. */
static void check_view(braid_str_t s, size_t max, const uint8_t *data, size_t size) {
  fuzz_view_in(s, data, size);
  BRAID_ASSERT(s.len <= max);
}

static void check_producer(const braid_cmd_producer_create_t *p, const uint8_t *data,
                           size_t size) {
  static const char *const types[] = {"simple", "simulcast", "svc", NULL};
  check_view(p->transport_id, BRAID_ID_MAX, data, size);
  check_view(p->producer_id, BRAID_ID_MAX, data, size);
  check_view(p->mid, BRAID_MID_MAX, data, size);
  check_view(p->cname, BRAID_CNAME_MAX, data, size);
  fuzz_view_in(p->kind, data, size);
  fuzz_view_in(p->type, data, size);
  BRAID_ASSERT(one_of(p->kind, kinds) && one_of(p->type, types));
  BRAID_ASSERT(p->ncodecs >= 1 && p->ncodecs <= BRAID_MAX_CODECS);
  BRAID_ASSERT(p->nencodings >= 1 && p->nencodings <= BRAID_MAX_ENCODINGS);
  for (size_t i = 0; i < p->ncodecs; i++) {
    const braid_producer_codec_t *k = &p->codecs[i];
    check_view(k->mime, BRAID_MIME_MAX, data, size);
    BRAID_ASSERT(k->pt <= BRAID_PT_MAX && k->mapped_pt <= BRAID_PT_MAX && k->apt <= BRAID_PT_MAX);
  }
  for (size_t i = 0; i < p->nencodings; i++) {
    check_view(p->encodings[i].rid, BRAID_MID_MAX, data, size);
    BRAID_ASSERT(p->encodings[i].spatial_layers >= 1 && p->encodings[i].temporal_layers >= 1);
  }
}

static void check_consumer(const braid_cmd_consumer_create_t *c, const uint8_t *data,
                           size_t size) {
  static const char *const types[] = {"simple", "simulcast", "svc", "pipe", NULL};
  check_view(c->transport_id, BRAID_ID_MAX, data, size);
  check_view(c->consumer_id, BRAID_ID_MAX, data, size);
  check_view(c->producer_id, BRAID_ID_MAX, data, size);
  check_view(c->mid, BRAID_MID_MAX, data, size);
  check_view(c->cname, BRAID_CNAME_MAX, data, size);
  fuzz_view_in(c->kind, data, size);
  fuzz_view_in(c->type, data, size);
  BRAID_ASSERT(one_of(c->kind, kinds) && one_of(c->type, types));
  BRAID_ASSERT(c->ext.rid == 0 && c->ext.rrid == 0 && c->ext.dd == 0);
  BRAID_ASSERT(c->ncodecs >= 1 && c->ncodecs <= BRAID_MAX_CODECS);
  for (size_t i = 0; i < c->ncodecs; i++) {
    check_view(c->codecs[i].mime, BRAID_MIME_MAX, data, size);
    BRAID_ASSERT(c->codecs[i].pt <= BRAID_PT_MAX && c->codecs[i].rtx_pt <= BRAID_PT_MAX);
  }
}

static void check_plain(const braid_cmd_transport_create_plain_t *t, const uint8_t *data,
                        size_t size) {
  check_view(t->router_id, BRAID_ID_MAX, data, size);
  check_view(t->transport_id, BRAID_ID_MAX, data, size);
  if (t->enable_sctp)
    BRAID_ASSERT(t->sctp_os >= 1 && t->sctp_os <= BRAID_SCTP_STREAMS_MAX && t->sctp_mis >= 1 &&
                 t->sctp_mis <= BRAID_SCTP_STREAMS_MAX);
  else
    BRAID_ASSERT(t->sctp_os == 0 && t->sctp_mis == 0 && t->sctp_max_message_size == 0);
}

static void check_connect_plain(const braid_cmd_transport_connect_plain_t *t,
                                const uint8_t *data, size_t size) {
  check_view(t->transport_id, BRAID_ID_MAX, data, size);
  check_view(t->ip, BRAID_IP_MAX, data, size);
  check_view(t->srtp_suite, BRAID_SRTP_SUITE_MAX, data, size);
  check_view(t->srtp_key, BRAID_SRTP_KEY_MAX, data, size);
  check_view(t->srtp_local_key, BRAID_SRTP_KEY_MAX, data, size);
  BRAID_ASSERT(t->port <= 65535 && t->rtcp_port <= 65535);
}

/* Presence flags and mediasoup's partial reliability rule, after a decode:
 * a limit is 0 unless its key came, at most one came, and only unordered. */
static void check_pr(bool ordered, bool has_life, uint64_t life, bool has_rtx, uint64_t rtx) {
  BRAID_ASSERT(has_life || life == 0);
  BRAID_ASSERT(has_rtx || rtx == 0);
  BRAID_ASSERT(life <= BRAID_DATA_PR_MAX && rtx <= BRAID_DATA_PR_MAX);
  BRAID_ASSERT(!(has_life || has_rtx) || (!ordered && !(has_life && has_rtx)));
}

static void check_data_producer(const braid_cmd_data_producer_create_t *p, const uint8_t *data,
                                size_t size) {
  check_view(p->transport_id, BRAID_ID_MAX, data, size);
  check_view(p->data_producer_id, BRAID_ID_MAX, data, size);
  check_view(p->label, BRAID_DATA_LABEL_MAX, data, size);
  check_view(p->protocol, BRAID_DATA_PROTOCOL_MAX, data, size);
  BRAID_ASSERT(p->stream <= BRAID_SCTP_STREAM_ID_MAX);
  check_pr(p->ordered, p->has_max_packet_life_time, p->max_packet_life_time, p->has_max_retransmits,
           p->max_retransmits);
}

static void check_data_consumer(const braid_cmd_data_consumer_create_t *c, const uint8_t *data,
                                size_t size) {
  check_view(c->transport_id, BRAID_ID_MAX, data, size);
  check_view(c->data_consumer_id, BRAID_ID_MAX, data, size);
  check_view(c->data_producer_id, BRAID_ID_MAX, data, size);
  check_pr(c->ordered, c->has_max_packet_life_time, c->max_packet_life_time, c->has_max_retransmits,
           c->max_retransmits);
}

/* Every view of cmd lies in the input and within its limit. */
static void check_views(const braid_cmd_t *cmd, const uint8_t *data, size_t size) {
  static const char *const roles[] = {"client", "server", "auto", NULL};
  check_view(cmd->reply_to, BRAID_ID_MAX, data, size);
  switch (cmd->type) {
  case BRAID_CMD_ROUTER_CREATE:
    check_view(cmd->u.router_create.router_id, BRAID_ID_MAX, data, size);
    check_view(cmd->u.router_create.room_id, BRAID_ROOM_ID_MAX, data, size);
    break;
  case BRAID_CMD_ROUTER_CLOSE:
    check_view(cmd->u.router_close.router_id, BRAID_ID_MAX, data, size);
    break;
  case BRAID_CMD_NODE_DUMP: break;
  case BRAID_CMD_TRANSPORT_CREATE_WEBRTC: {
    const braid_cmd_transport_create_t *t = &cmd->u.transport_create;
    check_view(t->router_id, BRAID_ID_MAX, data, size);
    check_view(t->transport_id, BRAID_ID_MAX, data, size);
    check_view(t->ufrag, BRAID_ICE_CRED_MAX, data, size);
    check_view(t->pwd, BRAID_ICE_CRED_MAX, data, size);
    if (t->enable_sctp)
      BRAID_ASSERT(t->sctp_os >= 1 && t->sctp_os <= BRAID_SCTP_STREAMS_MAX && t->sctp_mis >= 1 &&
                   t->sctp_mis <= BRAID_SCTP_STREAMS_MAX);
    else
      BRAID_ASSERT(t->sctp_os == 0 && t->sctp_mis == 0 && t->sctp_max_message_size == 0);
    break;
  }
  case BRAID_CMD_TRANSPORT_CONNECT: {
    const braid_cmd_transport_connect_t *t = &cmd->u.transport_connect;
    check_view(t->transport_id, BRAID_ID_MAX, data, size);
    fuzz_view_in(t->remote_role, data, size);
    BRAID_ASSERT(one_of(t->remote_role, roles));
    check_view(t->fp_algorithm, BRAID_DTLS_FP_ALG_MAX, data, size);
    check_view(t->fp_value, BRAID_DTLS_FP_MAX, data, size);
    break;
  }
  case BRAID_CMD_TRANSPORT_RESTART_ICE: {
    const braid_cmd_transport_restart_ice_t *t = &cmd->u.transport_restart_ice;
    check_view(t->transport_id, BRAID_ID_MAX, data, size);
    check_view(t->ufrag, BRAID_ICE_CRED_MAX, data, size);
    check_view(t->pwd, BRAID_ICE_CRED_MAX, data, size);
    break;
  }
  case BRAID_CMD_TRANSPORT_CLOSE:
  case BRAID_CMD_TRANSPORT_STATS:
    check_view(cmd->u.transport_close.transport_id, BRAID_ID_MAX, data, size);
    break;
  case BRAID_CMD_TRANSPORT_CREATE_PLAIN:
    check_plain(&cmd->u.transport_create_plain, data, size);
    break;
  case BRAID_CMD_TRANSPORT_CONNECT_PLAIN:
    check_connect_plain(&cmd->u.transport_connect_plain, data, size);
    break;
  case BRAID_CMD_PRODUCER_CREATE: check_producer(&cmd->u.producer_create, data, size); break;
  case BRAID_CMD_PRODUCER_CLOSE:
  case BRAID_CMD_PRODUCER_PAUSE:
  case BRAID_CMD_PRODUCER_RESUME:
  case BRAID_CMD_PRODUCER_STATS:
    check_view(cmd->u.producer_ref.producer_id, BRAID_ID_MAX, data, size);
    break;
  case BRAID_CMD_CONSUMER_CREATE: check_consumer(&cmd->u.consumer_create, data, size); break;
  case BRAID_CMD_CONSUMER_CLOSE:
  case BRAID_CMD_CONSUMER_PAUSE:
  case BRAID_CMD_CONSUMER_RESUME:
  case BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME:
  case BRAID_CMD_CONSUMER_STATS:
    check_view(cmd->u.consumer_ref.consumer_id, BRAID_ID_MAX, data, size);
    break;
  case BRAID_CMD_CONSUMER_SET_LAYERS:
    check_view(cmd->u.consumer_layers.consumer_id, BRAID_ID_MAX, data, size);
    break;
  case BRAID_CMD_CONSUMER_SET_PRIORITY:
    check_view(cmd->u.consumer_priority.consumer_id, BRAID_ID_MAX, data, size);
    break;
  case BRAID_CMD_DATA_PRODUCER_CREATE:
    check_data_producer(&cmd->u.data_producer_create, data, size);
    break;
  case BRAID_CMD_DATA_PRODUCER_CLOSE:
  case BRAID_CMD_DATA_PRODUCER_PAUSE:
  case BRAID_CMD_DATA_PRODUCER_RESUME:
  case BRAID_CMD_DATA_PRODUCER_STATS:
    check_view(cmd->u.data_producer_ref.data_producer_id, BRAID_ID_MAX, data, size);
    break;
  case BRAID_CMD_DATA_CONSUMER_CREATE:
    check_data_consumer(&cmd->u.data_consumer_create, data, size);
    break;
  case BRAID_CMD_DATA_CONSUMER_CLOSE:
  case BRAID_CMD_DATA_CONSUMER_PAUSE:
  case BRAID_CMD_DATA_CONSUMER_RESUME:
  case BRAID_CMD_DATA_CONSUMER_STATS:
    check_view(cmd->u.data_consumer_ref.data_consumer_id, BRAID_ID_MAX, data, size);
    break;
  }
}

static int encode(const void *cmd, braid_buf_t *out) { return braid_cmd_encode(cmd, out); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_cmd_t cmd;
  const char *why = NULL;
  int rc = braid_cmd_decode(&cmd, data, size, &why);
  if (rc != 0) {
    fuzz_check_failure(rc, why);
    return 0;
  }
  BRAID_ASSERT(braid_cmd_type_name(cmd.type) != NULL);
  check_views(&cmd, data, size);

  braid_buf_t a, b;
  braid_cmd_t again;
  braid_buf_init(&a, BRAID_PROTO_MAX_MSG);
  braid_buf_init(&b, BRAID_PROTO_MAX_MSG);
  BRAID_ASSERT(braid_cmd_encode(&cmd, &a) == 0);
  BRAID_ASSERT(braid_cmd_decode(&again, a.data, a.len, &why) == 0);
  check_same(&cmd, &again);
  BRAID_ASSERT(braid_cmd_encode(&again, &b) == 0);
  BRAID_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
  braid_buf_cleanup(&a);
  braid_buf_cleanup(&b);
  fuzz_check_enomem(encode, &cmd);
  return 0;
}
