/*
 * The Lua scripts behind store.c. Each runs atomically in Redis. They reach
 * keys built from ARGV[1] (the prefix), which a Redis Cluster would not
 * allow; Braid's Redis is a single primary (with replicas or Sentinel).
 */
#ifndef BRAID_CONTROLLER_CLUSTER_STORE_SCRIPTS_H
#define BRAID_CONTROLLER_CLUSTER_STORE_SCRIPTS_H

#include "controller/cluster/lua_dec.h"

/* Common helper: is a peer record held by a live controller? A
 * broadcaster's (ctl "") is held by no socket and lives until deleted; a
 * record without a ctl (undecodable) by nobody. */
#define BRAID_LUA_ALIVE                                                                            \
  BRAID_LUA_DEC                                                                                    \
  "local function alive(p, rec) "                                                                  \
  "  if type(rec.ctl) ~= 'string' then return false end "                                          \
  "  return rec.ctl == '' or redis.call('EXISTS', p .. 'controller:' .. rec.ctl) == 1 end "

/* ARGV: prefix, room, new router id, now_ms, peer ("" for none), reserve
 * TTL ms. Places a peer of the room on a node and returns {node, router,
 * created}, or false when no node is alive, or error "nodes full" when
 * every live node is at its consumer limit.
 *
 * A node is live while its key exists and no controller buried it
 * (P node:<id>:dead, cluster/node_watch.h). A peer placed before stays on
 * its node while that node lives (both its transports on one node). Otherwise the candidates are the live nodes
 * below their limit (node hash "max_consumers", 0 for none): "consumers"
 * (as the node last reported them, plus those created since), plus the
 * consumers promised to peers placed there and not created yet
 * (P node:<id>:reserved, which lapses 10 s after the first promise of a
 * burst, so promises never kept cannot pile up), plus
 * what this peer will consume (one per producer of the room). Among them a node that already has a router of
 * the room wins (fewer pipes), else the least loaded (P nodes' order). A
 * new router counts one unit of load on its node at once, so a burst of
 * new rooms spreads before the node's next heartbeat rewrites its score. */
static const char braid_lua_claim_router[] =
    "local p, room, peer = ARGV[1], ARGV[2], ARGV[5] "
    "local routers_key = p .. 'room:' .. room .. ':routers' "
    "local place_key = p .. 'room:' .. room .. ':placement' "
    "local routers = {} "
    "local cur = redis.call('HGETALL', routers_key) "
    "local function usable(n) "
    "  return redis.call('EXISTS', p .. 'node:' .. n) == 1 and "
    "         redis.call('EXISTS', p .. 'node:' .. n .. ':dead') == 0 end "
    "for i = 1, #cur, 2 do "
    "  if usable(cur[i]) then routers[cur[i]] = cur[i+1] "
    "  else redis.call('HDEL', routers_key, cur[i]) end "
    "end "
    "if peer ~= '' then "
    "  local n = redis.call('HGET', place_key, peer) "
    "  if n and routers[n] then return {n, routers[n], 0} end "
    "end "
    "local want = redis.call('HLEN', p .. 'room:' .. room .. ':producers') "
    "local nodes = redis.call('ZRANGE', p .. 'nodes', 0, -1) "
    "local best, in_room, live = nil, nil, false "
    "for _, n in ipairs(nodes) do "
    "  local h = redis.call('HMGET', p .. 'node:' .. n, 'max_consumers', 'consumers') "
    "  if h[2] and usable(n) then "
    "    live = true "
    "    local max = tonumber(h[1]) or 0 "
    "    local used = (tonumber(h[2]) or 0) + "
    "                 (tonumber(redis.call('GET', p .. 'node:' .. n .. ':reserved')) or 0) "
    "    if max == 0 or (used < max and used + want <= max) then "
    "      if not best then best = n end "
    "      if routers[n] and not in_room then in_room = n end "
    "    end "
    "  else redis.call('ZREM', p .. 'nodes', n) end "
    "end "
    "if not live then return false end "
    "local n = in_room or best "
    "if not n then return redis.error_reply('nodes full') end "
    "local created = 0 "
    "if not routers[n] then "
    "  routers[n] = ARGV[3] "
    "  created = 1 "
    "  redis.call('HSET', routers_key, n, ARGV[3]) "
    "  redis.call('SADD', p .. 'rooms', room) "
    "  redis.call('HSETNX', p .. 'room:' .. room, 'id', room) "
    "  redis.call('HSETNX', p .. 'room:' .. room, 'created_ms', ARGV[4]) "
    "  redis.call('ZINCRBY', p .. 'nodes', 1, n) "
    "end "
    "if peer ~= '' then "
    "  redis.call('HSET', place_key, peer, n) "
    "  local rk = p .. 'node:' .. n .. ':reserved' "
    /* The promises of a burst lapse together, ARGV[6] after its first:
     * never renewed, so those never kept cannot pile up. */
    "  if want > 0 and redis.call('INCRBY', rk, want) == want then "
    "    redis.call('PEXPIRE', rk, ARGV[6]) end "
    "end "
    "return {n, routers[n], created}";

/* ARGV: prefix, node. A consumer was created on the node: one promised
 * consumer is kept (the reservation shrinks) and the node's count grows at
 * once, rather than at its next heartbeat (which rewrites it with the
 * node's own count). */
static const char braid_lua_consumer_placed[] =
    "local k = ARGV[1] .. 'node:' .. ARGV[2] "
    "local r = tonumber(redis.call('GET', k .. ':reserved')) or 0 "
    "if r > 0 then redis.call('DECR', k .. ':reserved') end "
    "if redis.call('EXISTS', k) == 1 then redis.call('HINCRBY', k, 'consumers', 1) end "
    "return '{}'";

/* ARGV: prefix, room, peer, record, now_ms. Returns the replaced record or
 * false; error "peer exists" when a broadcaster has the id (a socket never
 * replaces one: its transports and producers would be orphaned). */
static const char braid_lua_peer_connect[] =
    BRAID_LUA_DEC
    "local p, room, peer = ARGV[1], ARGV[2], ARGV[3] "
    "local peers_key = p .. 'room:' .. room .. ':peers' "
    "local old = redis.call('HGET', peers_key, peer) "
    "if old and dec(old).ctl == '' then return redis.error_reply('peer exists') end "
    "redis.call('HSET', peers_key, peer, ARGV[4]) "
    "redis.call('SADD', p .. 'rooms', room) "
    "redis.call('HSETNX', p .. 'room:' .. room, 'id', room) "
    "redis.call('HSETNX', p .. 'room:' .. room, 'created_ms', ARGV[5]) "
    "return old or false";

/* ARGV: prefix, room, peer, ctl, conn, record. Returns a JSON array (text)
 * of the other joined, live peers' records, or an error reply. */
static const char braid_lua_peer_join[] =
    BRAID_LUA_ALIVE
    "local p, room, peer = ARGV[1], ARGV[2], ARGV[3] "
    "local peers_key = p .. 'room:' .. room .. ':peers' "
    "local cur = redis.call('HGET', peers_key, peer) "
    "if not cur then return redis.error_reply('peer replaced') end "
    "local rec = dec(cur) "
    "if rec.ctl ~= ARGV[4] or rec.conn ~= ARGV[5] then return redis.error_reply('peer replaced') end "
    "if rec.joined then return redis.error_reply('Peer already joined') end "
    "redis.call('HSET', peers_key, peer, ARGV[6]) "
    "local all = redis.call('HGETALL', peers_key) "
    "local out = {} "
    "for i = 1, #all, 2 do "
    "  if all[i] ~= peer then "
    "    local r = dec(all[i+1]) "
    "    if not alive(p, r) then redis.call('HDEL', peers_key, all[i]) "
    "    elseif r.joined then table.insert(out, all[i+1]) end "
    "  end "
    "end "
    "return '[' .. table.concat(out, ',') .. ']'";

/* ARGV: prefix, room, peer, ctl, conn. Returns JSON text (see store.h). */
static const char braid_lua_peer_leave[] =
    BRAID_LUA_ALIVE
    "local p, room, peer = ARGV[1], ARGV[2], ARGV[3] "
    "local peers_key = p .. 'room:' .. room .. ':peers' "
    "local routers_key = p .. 'room:' .. room .. ':routers' "
    "local res = {removed = false, joined = false} "
    "local cur = redis.call('HGET', peers_key, peer) "
    "if cur then "
    "  local rec = dec(cur) "
    "  if rec.ctl == ARGV[4] and rec.conn == ARGV[5] then "
    "    redis.call('HDEL', peers_key, peer) "
    "    redis.call('HDEL', p .. 'room:' .. room .. ':placement', peer) "
    "    res.removed = true "
    "    res.joined = rec.joined and true or false "
    "  end "
    "end "
    "local tkey = p .. 'room:' .. room .. ':transports' "
    "local mine = {} "
    "local ts = redis.call('HGETALL', tkey) "
    "for i = 1, #ts, 2 do "
    "  local t = dec(ts[i+1]) "
    "  if t.peerId == peer and t.ctl == ARGV[4] and t.conn == ARGV[5] then "
    "    mine[ts[i]] = t.node "
    "    redis.call('HDEL', tkey, ts[i]) "
    "  end "
    "end "
    "if next(mine) then res.transports = mine end "
    /* Its producers (or data producers), and the consumers (or data
     * consumers) of the peer and of those producers. */
    "local function mine_rec(r) "
    "  return r.peerId == peer and r.ctl == ARGV[4] and r.conn == ARGV[5] end "
    "local function sweep(pkey, ckey, ref) "
    "  local gone, ids = {}, {} "
    "  local ps = redis.call('HGETALL', pkey) "
    "  for i = 1, #ps, 2 do "
    "    if mine_rec(dec(ps[i+1])) then "
    "      gone[ps[i]] = true "
    "      table.insert(ids, ps[i]) "
    "      redis.call('HDEL', pkey, ps[i]) "
    "    end "
    "  end "
    "  local cs = redis.call('HGETALL', ckey) "
    "  for i = 1, #cs, 2 do "
    "    local r = dec(cs[i+1]) "
    "    if gone[r[ref]] or mine_rec(r) then redis.call('HDEL', ckey, cs[i]) end "
    "  end "
    "  if #ids > 0 then return ids end "
    "  return nil end "
    "local base = p .. 'room:' .. room "
    "local pkey, ckey = base .. ':producers', base .. ':consumers' "
    "local dpkey, dckey = base .. ':dataproducers', base .. ':dataconsumers' "
    "res.producers = sweep(pkey, ckey, 'producerId') "
    "res.dataProducers = sweep(dpkey, dckey, 'dataProducerId') "
    "local all = redis.call('HGETALL', peers_key) "
    "local sockets = 0 "
    "for i = 1, #all, 2 do "
    "  local r = dec(all[i+1]) "
    "  if not alive(p, r) then redis.call('HDEL', peers_key, all[i]) "
    "  elseif r.ctl ~= '' then sockets = sockets + 1 end "
    "end "
    "res.remaining = redis.call('HLEN', peers_key) "
    /* mediasoup-demo's rule: the room closes when its last socket peer
     * leaves, broadcasters and all (closing its routers closes their
     * transports). A room of broadcasters only lives until they go. */
    "if res.removed and ARGV[4] ~= '' and sockets == 0 then res.remaining = 0 end "
    "if res.remaining == 0 then "
    "  local routers = redis.call('HGETALL', routers_key) "
    "  local map = {} "
    "  for i = 1, #routers, 2 do map[routers[i]] = routers[i+1] end "
    "  if #routers > 0 then res.routers = map end "
    "  redis.call('DEL', peers_key, routers_key, tkey, pkey, ckey, dpkey, dckey, base, "
    "             base .. ':placement', base .. ':pipes', base .. ':pipetransports') "
    "  redis.call('SREM', p .. 'rooms', room) "
    "end "
    "return cjson.encode(res)";

/* ARGV: prefix, node id. Returns the node's hash as a flat array, or false
 * when the node is not alive. */
static const char braid_lua_node_info[] =
    "local h = redis.call('HGETALL', ARGV[1] .. 'node:' .. ARGV[2]) "
    "if #h == 0 then return false end "
    "local o = {} "
    "for i = 1, #h, 2 do o[h[i]] = h[i+1] end "
    "return cjson.encode(o)";

/* ARGV: prefix, room, transport id, record. The room must exist. */
static const char braid_lua_transport_put[] =
    "if redis.call('EXISTS', ARGV[1] .. 'room:' .. ARGV[2] .. ':peers') == 0 then "
    "  return redis.error_reply('room closed') end "
    "redis.call('HSET', ARGV[1] .. 'room:' .. ARGV[2] .. ':transports', ARGV[3], ARGV[4]) "
    "return '{}'";

/* ARGV: prefix, room, transport id. */
static const char braid_lua_transport_get[] =
    "return redis.call('HGET', ARGV[1] .. 'room:' .. ARGV[2] .. ':transports', ARGV[3])";

#endif
