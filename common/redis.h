/*
 * A Redis connection on a libuv loop: hiredis async with its stock libuv
 * adapter (STYLE.md rule 26), plus reconnection with backoff.
 *
 * While disconnected, commands fail at once with BRAID_ECLOSED and pending
 * ones get their callback with reply == NULL. After every (re)connection
 * on_connect runs, so the owner re-issues subscriptions and blocking reads.
 * A connection in SUBSCRIBE mode is used only for (P)SUBSCRIBE.
 *
 * Not thread-safe; all calls and callbacks happen on the loop thread.
 */
#ifndef BRAID_COMMON_REDIS_H
#define BRAID_COMMON_REDIS_H

#include <stdbool.h>
#include <stddef.h>

#include <hiredis/hiredis.h>
#include <uv.h>

#include "common/redis_url.h"

typedef struct braid_redis braid_redis_t;

typedef struct braid_redis_callbacks {
  /* Called after each successful connection (and AUTH/SELECT). May be NULL. */
  void (*on_connect)(braid_redis_t *r, void *user_data);
  /* Called when an established connection is lost. May be NULL. */
  void (*on_disconnect)(braid_redis_t *r, void *user_data);
  /* Called for every message on a channel subscribed with
   * braid_redis_subscribe(). channel and payload are borrowed. May be NULL. */
  void (*on_message)(braid_redis_t *r, const char *channel, const char *payload, size_t len,
                     void *user_data);
} braid_redis_callbacks_t;

/* Reply callback. reply is borrowed (valid only during the call) and is
 * NULL when the connection was lost or closed before the reply came. For a
 * SUBSCRIBE the callback is called once per message. The callback may call
 * any braid_redis_* function, including braid_redis_free(). */
typedef void (*braid_redis_reply_cb)(braid_redis_t *r, redisReply *reply, void *user_data);

/* Creates a connection and starts connecting. url is copied; cbs is
 * borrowed and must outlive the connection. name tags log lines. Returns 0
 * (object in *out, caller frees with braid_redis_free) or BRAID_ENOMEM. */
int braid_redis_new(braid_redis_t **out, uv_loop_t *loop, const braid_redis_url_t *url,
                    const char *name, const braid_redis_callbacks_t *cbs, void *user_data);

/* Closes the connection. Pending command callbacks are called with reply ==
 * NULL (at once, or right after the current callback when called from one);
 * no connection or message callbacks happen any more. Memory is released
 * after the loop has closed the handles. */
void braid_redis_free(braid_redis_t *r);
/* Drops the connection now and reconnects (with the usual backoff); pending
 * commands get NULL replies. For a process whose other connection to the
 * same server was lost: a restarted Redis drops them all. No-op when not
 * connected. */
void braid_redis_reconnect(braid_redis_t *r);

bool braid_redis_connected(const braid_redis_t *r);

/* Sends a command in hiredis format syntax (%s, %b, %lld...). cb may be
 * NULL. Returns 0, or BRAID_ECLOSED when not connected (cb is not called). */
int braid_redis_cmd(braid_redis_t *r, braid_redis_reply_cb cb, void *user_data, const char *fmt,
                    ...);
/* Same, with an argument vector (lens may be NULL for C strings). */
int braid_redis_cmd_argv(braid_redis_t *r, braid_redis_reply_cb cb, void *user_data, int argc,
                         const char **argv, const size_t *lens);

/* SUBSCRIBE / UNSUBSCRIBE to a channel; messages go to cbs->on_message.
 * Subscriptions do not survive a reconnection: re-issue them in on_connect.
 * Returns 0 or BRAID_ECLOSED. */
int braid_redis_subscribe(braid_redis_t *r, const char *channel);
int braid_redis_unsubscribe(braid_redis_t *r, const char *channel);

#endif
