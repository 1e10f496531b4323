-- A token bucket in one atomic step. KEYS[1]: the bucket; ARGV[1]: capacity; ARGV[2]: tokens per second;
-- ARGV[3]: tokens wanted; ARGV[4]: tokens returned (taken earlier by this instance and not used, or 0).
-- Puts the returned tokens back, then grants as many of the wanted tokens as the bucket holds.
-- Returns {tokens granted, tokens left (whole), ms until one token is back if fewer were granted than wanted
-- (else 0), ms until full}. Time comes from the Redis server, so every service instance shares one clock.
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2]) / 1000
local wanted = tonumber(ARGV[3])
local returned = tonumber(ARGV[4] or '0')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1])
local at = tonumber(bucket[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate + returned)
local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted
local untilFull = math.ceil((capacity - tokens) / rate)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], untilFull + 1000)
local retry = 0
if granted < wanted then
  retry = math.ceil((1 - tokens) / rate)
end
return {granted, math.floor(tokens), retry, untilFull}
