/*
 * The Lua scripts behind bcast_store.c (same rules as store_scripts.h: each
 * runs atomically, keys are built from ARGV[1], the prefix).
 */
#ifndef BRAID_CONTROLLER_CLUSTER_BCAST_STORE_SCRIPTS_H
#define BRAID_CONTROLLER_CLUSTER_BCAST_STORE_SCRIPTS_H

#include "controller/cluster/store_scripts.h"

/* ARGV: prefix, room, peer, record, now_ms, max. Stores a broadcaster's
 * record unless a live peer of that id exists (error "peer exists") or the
 * room has max broadcasters already (error "too many broadcasters"),
 * making the room if needed. Returns a JSON array (text) of the other
 * joined, live peers' records. */
static const char braid_lua_bcast_create[] =
    BRAID_LUA_ALIVE
    "local p, room, peer = ARGV[1], ARGV[2], ARGV[3] "
    "local peers_key = p .. 'room:' .. room .. ':peers' "
    "local cur = redis.call('HGET', peers_key, peer) "
    "if cur and alive(p, dec(cur)) then return redis.error_reply('peer exists') end "
    "local n = 0 "
    "for _, v in ipairs(redis.call('HVALS', peers_key)) do "
    "  if dec(v).ctl == '' then n = n + 1 end "
    "end "
    "if n >= tonumber(ARGV[6]) then return redis.error_reply('too many broadcasters') end "
    "redis.call('HSET', peers_key, peer, ARGV[4]) "
    "redis.call('SADD', p .. 'rooms', room) "
    "redis.call('HSETNX', p .. 'room:' .. room, 'id', room) "
    "redis.call('HSETNX', p .. 'room:' .. room, 'created_ms', ARGV[5]) "
    "local all = redis.call('HGETALL', peers_key) "
    "local out = {} "
    "for i = 1, #all, 2 do "
    "  if all[i] ~= peer then "
    "    local r = dec(all[i+1]) "
    "    if alive(p, r) and r.joined then table.insert(out, all[i+1]) end "
    "  end "
    "end "
    "return '[' .. table.concat(out, ',') .. ']'";

/* ARGV: prefix, room, peer. The peer's record, or nil. */
static const char braid_lua_bcast_get[] =
    "return redis.call('HGET', ARGV[1] .. 'room:' .. ARGV[2] .. ':peers', ARGV[3])";

/* ARGV: prefix, room, consumer id. The consumer's record, or nil. */
static const char braid_lua_consumer_get[] =
    "return redis.call('HGET', ARGV[1] .. 'room:' .. ARGV[2] .. ':consumers', ARGV[3])";

/* ARGV: prefix, room, transport id. Takes the transport's next consumer
 * MID (wrapping as ortc/transport.h says); returns {"mid": n} or nil when
 * the transport has gone. The record holds no empty arrays, so
 * re-encoding it is safe. */
static const char braid_lua_transport_next_mid[] =
    "local k = ARGV[1] .. 'room:' .. ARGV[2] .. ':transports' "
    "local cur = redis.call('HGET', k, ARGV[3]) "
    "if not cur then return false end "
    "local t = cjson.decode(cur) "
    "local n = tonumber(t.nextMid) or 0 "
    "t.nextMid = (n + 1) % 100000000 "
    "redis.call('HSET', k, ARGV[3], cjson.encode(t)) "
    "return cjson.encode({mid = n})";

/* ARGV: prefix, room, peer, transport id, record. Stores a broadcaster's
 * transport record while the broadcaster exists (error "peer closed"). */
static const char braid_lua_bcast_transport_put[] =
    BRAID_LUA_DEC
    "local cur = redis.call('HGET', ARGV[1] .. 'room:' .. ARGV[2] .. ':peers', ARGV[3]) "
    "if not cur or dec(cur).ctl ~= '' then return redis.error_reply('peer closed') end "
    "redis.call('HSET', ARGV[1] .. 'room:' .. ARGV[2] .. ':transports', ARGV[4], ARGV[5]) "
    "return '{}'";

/* ARGV: prefix, room, transport id, fields (a JSON object). Sets those
 * fields of the existing record, leaving the others (nextMid, cname) as
 * concurrent requests wrote them; nil when the transport has gone. */
static const char braid_lua_transport_merge[] =
    "local k = ARGV[1] .. 'room:' .. ARGV[2] .. ':transports' "
    "local cur = redis.call('HGET', k, ARGV[3]) "
    "if not cur then return false end "
    "local t = cjson.decode(cur) "
    "for key, v in pairs(cjson.decode(ARGV[4])) do t[key] = v end "
    "redis.call('HSET', k, ARGV[3], cjson.encode(t)) "
    "return '{}'";

#endif
