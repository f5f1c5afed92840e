/*
 * The Lua scripts behind data_store.c (same rules as store_scripts.h: each
 * runs atomically, keys are built from ARGV[1], the prefix). Data producer
 * and data consumer records are stored as written, never re-encoded.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_DATA_STORE_SCRIPTS_H
#define BRAID_CONTROLLER_CLUSTER_DATA_STORE_SCRIPTS_H

#include "controller/cluster/media_store_scripts.h"

/* A Lua function: how many records of hash k belong to peer (records
 * that do not decode count for nobody). */
#define BRAID_LUA_COUNT_OF                                                                         \
  "local function count_of(k, peer) "                                                               \
  "  local n, vs = 0, redis.call('HVALS', k) "                                                      \
  "  for i = 1, #vs do "                                                                            \
  "    local ok, r = pcall(cjson.decode, vs[i]) "                                                   \
  "    if ok and type(r) == 'table' and r.peerId == peer then n = n + 1 end "                       \
  "  end "                                                                                          \
  "  return n "                                                                                     \
  "end "

/* ARGV: prefix, room, data producer id, peer, ctl, conn, transport id,
 * record, max. Stores the record if the peer is still held by (ctl, conn)
 * and joined and its transport still exists (else error "peer closed"),
 * and has fewer than max data producers (else error "too many data
 * producers"; a socket's controller counts them itself, and passes 0: no
 * count). */
static const char braid_lua_data_producer_put[] =
    BRAID_LUA_PEER_HELD BRAID_LUA_COUNT_OF
    "local p, room = ARGV[1], ARGV[2] "
    "local k = p .. 'room:' .. room .. ':dataproducers' "
    "if not held(p, room) then return redis.error_reply('peer closed') end "
    "if redis.call('HEXISTS', p .. 'room:' .. room .. ':transports', ARGV[7]) == 0 then "
    "  return redis.error_reply('peer closed') end "
    "local max = tonumber(ARGV[9]) "
    "if max > 0 and count_of(k, ARGV[4]) >= max then "
    "  return redis.error_reply('too many data producers') end "
    "redis.call('HSET', k, ARGV[3], ARGV[8]) "
    "return '{}'";

/* ARGV: prefix, room, data producer id. The record or false. */
static const char braid_lua_data_producer_get[] =
    "return redis.call('HGET', ARGV[1] .. 'room:' .. ARGV[2] .. ':dataproducers', ARGV[3])";

/* ARGV: prefix, room. A JSON array (text) of the data producer records
 * held by live controllers or broadcasters (ctl ""), dropping the others. */
static const char braid_lua_data_producers[] =
    BRAID_LUA_DEC
    "local k = ARGV[1] .. 'room:' .. ARGV[2] .. ':dataproducers' "
    "local all = redis.call('HGETALL', k) "
    "local out = {} "
    "for i = 1, #all, 2 do "
    "  local r = dec(all[i+1]) "
    "  if r.ctl == '' or redis.call('EXISTS', ARGV[1] .. 'controller:' .. tostring(r.ctl)) == 1 then "
    "    table.insert(out, all[i+1]) "
    "  else redis.call('HDEL', k, all[i]) end "
    "end "
    "return '[' .. table.concat(out, ',') .. ']'";

/* ARGV: prefix, room, data producer id. Removes the record and the records
 * of its data consumers; {} or false when there was none. */
static const char braid_lua_data_producer_del[] =
    BRAID_LUA_DEC
    "local pk = ARGV[1] .. 'room:' .. ARGV[2] .. ':dataproducers' "
    "if redis.call('HDEL', pk, ARGV[3]) == 0 then return false end "
    "local ck = ARGV[1] .. 'room:' .. ARGV[2] .. ':dataconsumers' "
    "local cs = redis.call('HGETALL', ck) "
    "for i = 1, #cs, 2 do "
    "  if dec(cs[i+1]).dataProducerId == ARGV[3] then redis.call('HDEL', ck, cs[i]) end "
    "end "
    "return '{}'";

/* ARGV: prefix, room, data consumer id, peer, ctl, conn, data producer
 * id, record, max. Stores the record if the peer is still held by (ctl,
 * conn) and joined and the data producer still exists ({} or false), and
 * has fewer than max data consumers (else error "too many data
 * consumers"; 0: no count, as for data producers). */
static const char braid_lua_data_consumer_put[] =
    BRAID_LUA_PEER_HELD BRAID_LUA_COUNT_OF
    "local p, room = ARGV[1], ARGV[2] "
    "local k = p .. 'room:' .. room .. ':dataconsumers' "
    "if not held(p, room) then return false end "
    "if redis.call('HEXISTS', p .. 'room:' .. room .. ':dataproducers', ARGV[7]) == 0 then "
    "  return false end "
    "local max = tonumber(ARGV[9]) "
    "if max > 0 and count_of(k, ARGV[4]) >= max then "
    "  return redis.error_reply('too many data consumers') end "
    "redis.call('HSET', k, ARGV[3], ARGV[8]) "
    "return '{}'";

/* ARGV: prefix, room, data consumer id. */
static const char braid_lua_data_consumer_del[] =
    "redis.call('HDEL', ARGV[1] .. 'room:' .. ARGV[2] .. ':dataconsumers', ARGV[3]) "
    "return '{}'";

#endif
