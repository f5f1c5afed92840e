/*
 * A Lua helper for the store scripts (store_scripts.h and its siblings),
 * spliced in front of the scripts that read stored records.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_LUA_DEC_H
#define BRAID_CONTROLLER_CLUSTER_LUA_DEC_H

/* Common helper: decodes a stored record. One that does not decode (it
 * never should: what clients send is depth-checked before it is stored,
 * and cjson refuses what nests past 1000 levels) reads as an empty table,
 * so that one bad record cannot fail a script that walks the whole room
 * (a leave that fails half way leaks the peer's transports). */
#define BRAID_LUA_DEC                                                                              \
  "local function dec(s) "                                                                         \
  "  local ok, r = pcall(cjson.decode, s) "                                                        \
  "  if ok and type(r) == 'table' then return r end "                                              \
  "  return {} end "

#endif
