/*
 * The script behind room/node_loss.c (same rules as store_scripts.h).
 *
 * ARGV: prefix, room, dead node. Removes every record of the room that
 * names the node and returns JSON
 *   {"producers":[id...],"dataProducers":[id...],
 *    "transports":[{"node","transport"}...],
 *    "orphans":[{"producer","node","kind"}...],"consumers":[id...],
 *    "dataConsumers":[id...]}
 * producers and dataProducers: those that lived on the node (their pipe
 * records stay, for the announcement that closes their copies);
 * transports: the live halves of the node's pipe transport pairs;
 * orphans: copies of live producers that came through the node (it was a
 * relay), and everything piped on from them ("kind" "data" for a data
 * producer's); consumers and dataConsumers: the consumers of those
 * copies; "router": the room's router on the node, if it had one
 * (closed on the node, in case it was only stalled). A second run finds
 * nothing.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_NODE_GONE_SCRIPT_H
#define BRAID_CONTROLLER_CLUSTER_NODE_GONE_SCRIPT_H

#include "controller/cluster/lua_dec.h"

static const char braid_lua_node_gone[] =
    BRAID_LUA_DEC
    "local p, room, node = ARGV[1], ARGV[2], ARGV[3] "
    "local base = p .. 'room:' .. room "
    "local res = {producers = {}, dataProducers = {}, transports = {}, orphans = {}, "
    "  consumers = {}} "
    "res.router = redis.call('HGET', base .. ':routers', node) "
    "redis.call('HDEL', base .. ':routers', node) "
    "local pl = redis.call('HGETALL', base .. ':placement') "
    "for i = 1, #pl, 2 do "
    "  if pl[i+1] == node then redis.call('HDEL', base .. ':placement', pl[i]) end "
    "end "
    /* Records whose "node" is the dead one; returns their ids. */
    "local function sweep(suffix) "
    "  local k = base .. suffix "
    "  local all = redis.call('HGETALL', k) "
    "  local ids = {} "
    "  for i = 1, #all, 2 do "
    "    if dec(all[i+1]).node == node then "
    "      redis.call('HDEL', k, all[i]) "
    "      table.insert(ids, all[i]) "
    "    end "
    "  end "
    "  return ids end "
    "sweep(':transports') "
    "sweep(':consumers') "
    "sweep(':dataconsumers') "
    "res.producers = sweep(':producers') "
    "res.dataProducers = sweep(':dataproducers') "
    "local dead = {} "
    "for _, id in ipairs(res.producers) do dead[id] = true end "
    "for _, id in ipairs(res.dataProducers) do dead[id] = true end "
    "local pk = base .. ':pipes' "
    "local all = redis.call('HGETALL', pk) "
    "local recs, gone = {}, {} "
    "for i = 1, #all, 2 do recs[all[i]] = dec(all[i+1]) end "
    "for k, r in pairs(recs) do "
    "  if r.node == node then "
    "    gone[k] = true "
    "    redis.call('HDEL', pk, k) "
    "  end "
    "end "
    "local lost = {} "
    "local changed = true "
    "while changed do "
    "  changed = false "
    "  for k, r in pairs(recs) do "
    "    local pid = tostring(r.producerId) "
    "    if not gone[k] and not dead[pid] and "
    "       (r.from == node or gone[pid .. '@' .. tostring(r.from)]) then "
    "      gone[k] = true "
    "      changed = true "
    "      redis.call('HDEL', pk, k) "
    "      table.insert(res.orphans, {producer = pid, node = r.node, kind = r.kind}) "
    "      lost[pid .. '@' .. tostring(r.node)] = true "
    "    end "
    "  end "
    "end "
    "res.dataConsumers = {} "
    "if next(lost) then "
    "  local function lost_of(suffix, ref, out) "
    "    local cs = redis.call('HGETALL', base .. suffix) "
    "    for i = 1, #cs, 2 do "
    "      local c = dec(cs[i+1]) "
    "      if lost[tostring(c[ref]) .. '@' .. tostring(c.node)] then table.insert(out, cs[i]) end "
    "    end end "
    "  lost_of(':consumers', 'producerId', res.consumers) "
    "  lost_of(':dataconsumers', 'dataProducerId', res.dataConsumers) "
    "end "
    "local tk = base .. ':pipetransports' "
    "local ts = redis.call('HGETALL', tk) "
    "for i = 1, #ts, 2 do "
    "  local t = dec(ts[i+1]) "
    "  if t.a == node or t.b == node then "
    "    redis.call('HDEL', tk, ts[i]) "
    "    if t.a == node then table.insert(res.transports, {node = t.b, transport = t.tb}) "
    "    else table.insert(res.transports, {node = t.a, transport = t.ta}) end "
    "  end "
    "end "
    "return cjson.encode(res)";

#endif
