-- A customer's cached tag set. ARGV[1]: customer id.
-- Returns {epoch, the customer's version, the cached JSON or nil}; the epoch is '' when none was started yet
-- (a new Redis, or one restarted empty: the caller starts one). The epoch and version are what a fill after a
-- miss must still find (tag-cache-fill.lua), so that a fill never lands after an invalidation it raced with.
local epoch = redis.call('GET', 'crm:tags:epoch') or ''
local version = redis.call('GET', 'crm:tags:v:' .. ARGV[1]) or '0'
return {epoch, version, redis.call('GET', 'crm:tags:' .. epoch .. ':' .. ARGV[1])}
