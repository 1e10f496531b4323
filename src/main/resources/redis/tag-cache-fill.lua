-- Caches a customer's tag set read from PostgreSQL, unless it was invalidated since the read began.
-- ARGV: customer id, epoch and version seen by tag-cache-read.lua, JSON, time to live in ms. Returns 1 if stored.
if ARGV[2] ~= '' and (redis.call('GET', 'crm:tags:epoch') or '') == ARGV[2]
    and (redis.call('GET', 'crm:tags:v:' .. ARGV[1]) or '0') == ARGV[3] then
  redis.call('SET', 'crm:tags:' .. ARGV[2] .. ':' .. ARGV[1], ARGV[4], 'PX', ARGV[5])
  return 1
end
return 0
