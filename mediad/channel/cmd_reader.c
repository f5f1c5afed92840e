#include "mediad/channel/cmd_reader.h"

#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/mem.h"
#include "mediad/channel/handlers.h"
#include "proto/cmd.h"

/* Entries fetched per XREAD, and how long one XREAD blocks (ms). */
#define READ_COUNT 64
#define READ_BLOCK_MS 1000

struct braid_cmd_reader {
  braid_mediad_t *md; /* borrowed: owner */
  char stream[256];
  char last_id[64]; /* last entry id processed */
  bool reading;     /* an XREAD is in flight */
  braid_buf_t reply; /* reused for every reply */
  int64_t last_bad_log_ms;
};

static void note_bad(braid_cmd_reader_t *rd, const char *entry_id, int rc, const char *why) {
  rd->md->stats.cmd_bad++;
  /* Rate-limited: a flood of bad commands must not become a flood of logs. */
  int64_t now = braid_clock_mono_ms();
  if (now - rd->last_bad_log_ms >= 1000) {
    rd->last_bad_log_ms = now;
    BRAID_LOGW("channel", "dropped malformed command %s: %s (%s); %llu dropped so far", entry_id,
               braid_strerror(rc), why ? why : "-", (unsigned long long)rd->md->stats.cmd_bad);
  }
}

static void process_entry(braid_cmd_reader_t *rd, const char *entry_id, redisReply *fields) {
  braid_mediad_t *md = rd->md;
  const redisReply *m = NULL;
  for (size_t i = 0; i + 1 < fields->elements; i += 2) {
    const redisReply *k = fields->element[i];
    if (k->type == REDIS_REPLY_STRING && k->len == 1 && k->str[0] == 'm')
      m = fields->element[i + 1];
  }
  if (m == NULL || m->type != REDIS_REPLY_STRING) {
    note_bad(rd, entry_id, BRAID_EMISSING, "entry has no field 'm'");
    return;
  }
  braid_cmd_t cmd;
  const char *why = NULL;
  int rc = braid_cmd_decode(&cmd, (const uint8_t *)m->str, m->len, &why);
  if (rc != 0) {
    note_bad(rd, entry_id, rc, why);
    return;
  }
  if (!braid_str_is_id(cmd.reply_to)) {
    note_bad(rd, entry_id, BRAID_EMALFORMED, "reply channel id is not [A-Za-z0-9._-]+");
    return;
  }
  if (cmd.deadline_ms != 0 && cmd.deadline_ms < braid_clock_wall_ms()) {
    md->stats.cmd_expired++;
    BRAID_LOGD("channel", "command %s expired before it was read", entry_id);
    return;
  }
  braid_buf_reset(&rd->reply);
  rc = braid_cmd_handle(md, &cmd, &rd->reply);
  md->stats.cmd_ok++;
  if (rc != 0) {
    BRAID_LOGE("channel", "cannot encode reply to %s: %s", entry_id, braid_strerror(rc));
    return;
  }
  char channel[256];
  snprintf(channel, sizeof channel, "%sctl:%.*s", md->config->prefix, (int)cmd.reply_to.len,
           cmd.reply_to.p);
  braid_redis_cmd(md->redis, NULL, NULL, "PUBLISH %s %b", channel, rd->reply.data, rd->reply.len);
}

static void on_xread(braid_redis_t *r, redisReply *reply, void *ud) {
  braid_cmd_reader_t *rd = ud;
  rd->reading = false;
  if (reply == NULL) return; /* connection lost: on_connect restarts reading */
  if (reply->type == REDIS_REPLY_ERROR) {
    BRAID_LOGE("channel", "XREAD failed: %s", reply->str);
  } else if (reply->type == REDIS_REPLY_ARRAY) {
    for (size_t s = 0; s < reply->elements; s++) {
      redisReply *sr = reply->element[s];
      if (sr->type != REDIS_REPLY_ARRAY || sr->elements != 2) continue;
      redisReply *entries = sr->element[1];
      if (entries->type != REDIS_REPLY_ARRAY) continue;
      for (size_t e = 0; e < entries->elements; e++) {
        redisReply *entry = entries->element[e];
        if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2 ||
            entry->element[0]->type != REDIS_REPLY_STRING)
          continue;
        snprintf(rd->last_id, sizeof rd->last_id, "%s", entry->element[0]->str);
        if (entry->element[1]->type != REDIS_REPLY_ARRAY) {
          note_bad(rd, rd->last_id, BRAID_EMALFORMED, "entry without fields");
          continue;
        }
        process_entry(rd, rd->last_id, entry->element[1]);
      }
    }
  }
  if (!rd->md->shutting_down) braid_cmd_reader_start(rd);
}

void braid_cmd_reader_start(braid_cmd_reader_t *rd) {
  if (rd->reading) return;
  if (braid_redis_cmd(rd->md->redis_block, on_xread, rd, "XREAD COUNT %d BLOCK %d STREAMS %s %s",
                      READ_COUNT, READ_BLOCK_MS, rd->stream, rd->last_id) == 0)
    rd->reading = true;
}

braid_cmd_reader_t *braid_cmd_reader_new(braid_mediad_t *md) {
  braid_cmd_reader_t *rd = braid_xcalloc(1, sizeof *rd);
  rd->md = md;
  snprintf(rd->stream, sizeof rd->stream, "%snode:%s:cmd", md->config->prefix, md->node_id);
  snprintf(rd->last_id, sizeof rd->last_id, "0-0");
  braid_buf_init(&rd->reply, BRAID_PROTO_MAX_MSG);
  return rd;
}

void braid_cmd_reader_free(braid_cmd_reader_t *rd) {
  if (rd == NULL) return;
  braid_buf_cleanup(&rd->reply);
  braid_free(rd);
}
