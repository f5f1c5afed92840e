/*
 * The Lua scripts behind media_store.c (same rules as store_scripts.h: each
 * runs atomically, keys are built from ARGV[1], the prefix).
 *
 * Producer and consumer records are JSON written by the controller with
 * "paused" as their first key ('{"paused":false,...'), so that pausing
 * rewrites that one value as text: decoding and re-encoding a record in Lua
 * would turn its empty arrays (rtcpFeedback: []) into objects, which
 * mediasoup-client refuses.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_MEDIA_STORE_SCRIPTS_H
#define BRAID_CONTROLLER_CLUSTER_MEDIA_STORE_SCRIPTS_H

#include "controller/cluster/lua_dec.h"

/* Is the peer record of ARGV[4] held by (ARGV[5], ARGV[6]) and joined? */
#define BRAID_LUA_PEER_HELD                                                                        \
  BRAID_LUA_DEC                                                                                    \
  "local function held(p, room) "                                                                  \
  "  local cur = redis.call('HGET', p .. 'room:' .. room .. ':peers', ARGV[4]) "                   \
  "  if not cur then return false end "                                                            \
  "  local rec = dec(cur) "                                                                       \
  "  return rec.ctl == ARGV[5] and rec.conn == ARGV[6] and rec.joined == true end "

/* ARGV: prefix, room, transport id, cname. Sets the record's cname unless
 * it has one; returns {"cname": the record's cname}, or false when there is
 * no such transport. The transport record holds only strings and a bool,
 * so re-encoding it is safe. */
static const char braid_lua_transport_set_cname[] =
    "local k = ARGV[1] .. 'room:' .. ARGV[2] .. ':transports' "
    "local cur = redis.call('HGET', k, ARGV[3]) "
    "if not cur then return false end "
    "local t = cjson.decode(cur) "
    "if t.cname then return cjson.encode({cname = t.cname}) end "
    "t.cname = ARGV[4] "
    "redis.call('HSET', k, ARGV[3], cjson.encode(t)) "
    "return cjson.encode({cname = ARGV[4]})";

/* ARGV: prefix, room, producer id, peer, ctl, conn, transport id, record.
 * Stores the record if the peer is still held by (ctl, conn) and joined and
 * its transport still exists; else error "peer closed". */
static const char braid_lua_producer_put[] =
    BRAID_LUA_PEER_HELD
    "local p, room = ARGV[1], ARGV[2] "
    "if not held(p, room) then return redis.error_reply('peer closed') end "
    "if redis.call('HEXISTS', p .. 'room:' .. room .. ':transports', ARGV[7]) == 0 then "
    "  return redis.error_reply('peer closed') end "
    "redis.call('HSET', p .. 'room:' .. room .. ':producers', ARGV[3], ARGV[8]) "
    "return '{}'";

/* ARGV: prefix, room, consumer id, peer, ctl, conn, producer id, record.
 * Stores the record if the peer is still held by (ctl, conn) and the
 * producer still exists; returns {} or false. */
static const char braid_lua_consumer_put[] =
    BRAID_LUA_PEER_HELD
    "local p, room = ARGV[1], ARGV[2] "
    "if not held(p, room) then return false end "
    "if redis.call('HEXISTS', p .. 'room:' .. room .. ':producers', ARGV[7]) == 0 then "
    "  return false end "
    "redis.call('HSET', p .. 'room:' .. room .. ':consumers', ARGV[3], ARGV[8]) "
    "return '{}'";

/* ARGV: prefix, room, producer id. Returns the record or false. */
static const char braid_lua_producer_get[] =
    "return redis.call('HGET', ARGV[1] .. 'room:' .. ARGV[2] .. ':producers', ARGV[3])";

/* ARGV: prefix, room. Returns a JSON array (text) of the producer records
 * held by live controllers or by broadcasters (ctl ""), dropping the
 * others. */
static const char braid_lua_producers[] =
    BRAID_LUA_DEC
    "local k = ARGV[1] .. 'room:' .. ARGV[2] .. ':producers' "
    "local all = redis.call('HGETALL', k) "
    "local out = {} "
    "for i = 1, #all, 2 do "
    "  local r = dec(all[i+1]) "
    "  if r.ctl == '' or redis.call('EXISTS', ARGV[1] .. 'controller:' .. tostring(r.ctl)) == 1 then "
    "    table.insert(out, all[i+1]) "
    "  else redis.call('HDEL', k, all[i]) end "
    "end "
    "return '[' .. table.concat(out, ',') .. ']'";

/* ARGV: prefix, room, producer id. Removes the producer record and the
 * records of its consumers; returns {} or false when there was none. */
static const char braid_lua_producer_del[] =
    BRAID_LUA_DEC
    "local pk = ARGV[1] .. 'room:' .. ARGV[2] .. ':producers' "
    "if redis.call('HDEL', pk, ARGV[3]) == 0 then return false end "
    "local ck = ARGV[1] .. 'room:' .. ARGV[2] .. ':consumers' "
    "local cs = redis.call('HGETALL', ck) "
    "for i = 1, #cs, 2 do "
    "  if dec(cs[i+1]).producerId == ARGV[3] then redis.call('HDEL', ck, cs[i]) end "
    "end "
    "return '{}'";

/* ARGV: prefix, room, "producers" or "consumers", id, "true" or "false".
 * Rewrites the record's leading "paused"; returns {"was": bool} or false
 * when there is no such record. */
static const char braid_lua_set_paused[] =
    "local k = ARGV[1] .. 'room:' .. ARGV[2] .. ':' .. ARGV[3] "
    "local cur = redis.call('HGET', k, ARGV[4]) "
    "if not cur then return false end "
    "local rest = string.match(cur, '^{\"paused\":%a+(.*)$') "
    "if not rest then return redis.error_reply('record without a leading paused') end "
    "redis.call('HSET', k, ARGV[4], '{\"paused\":' .. ARGV[5] .. rest) "
    "return '{\"was\":' .. (string.sub(cur, 11, 14) == 'true' and 'true' or 'false') .. '}'";

/* ARGV: prefix, room, consumer id. */
static const char braid_lua_consumer_del[] =
    "redis.call('HDEL', ARGV[1] .. 'room:' .. ARGV[2] .. ':consumers', ARGV[3]) "
    "return '{}'";

#endif
