-- Threadwire presence of one thread (see backplane-redis/README.md, "Presence").
-- KEYS[1] the thread's presence hash <prefix>:{<thread>}:presence: field = node id, value = JSON
-- {"e": expiry in ms on Redis's clock, "c": connections, "u": [user ids]}. Redis's clock (TIME)
-- judges every expiry, so the nodes' clocks need not agree.
-- ARGV[1] op:
--   "set":    ARGV[2] node, ARGV[3] node TTL (ms), ARGV[4] connections, ARGV[5..] user ids;
--             0 connections removes the node's entry. The hash lives a TTL after its last write.
--   "others": ARGV[2] node left out (the caller, who counts itself exactly); answers
--             {connections, user ids...} of the other live entries, removing expired ones.
local key, op, node = KEYS[1], ARGV[1], ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

if op == 'set' then
  local ttl, c = tonumber(ARGV[3]), tonumber(ARGV[4])
  if c == 0 then
    return redis.call('HDEL', key, node)
  end
  local users = {}
  for i = 5, #ARGV do users[#users + 1] = ARGV[i] end
  redis.call('HSET', key, node, cjson.encode({e = now + ttl, c = c, u = users}))
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
  return 1
end

if op == 'others' then
  local all = redis.call('HGETALL', key)
  local out, seen, c = {0}, {}, 0
  for i = 1, #all, 2 do
    local field, value = all[i], all[i + 1]
    local ok, e = pcall(cjson.decode, value)
    if not ok or type(e) ~= 'table' or tonumber(e.e) == nil or tonumber(e.e) <= now then
      redis.call('HDEL', key, field) -- a dead node's entry (or garbage): gone for every reader
    elseif field ~= node then
      c = c + tonumber(e.c)
      if type(e.u) == 'table' then
        for _, u in ipairs(e.u) do
          if not seen[u] then
            seen[u] = true
            out[#out + 1] = u
          end
        end
      end
    end
  end
  out[1] = c
  return out
end

return redis.error_reply('unknown presence op ' .. tostring(op))
