-- After a customer's row is deleted (or erased): moves their version on, so that copies held in memory by any
-- instance no longer match and racing fills are refused, and drops their entry. The version is then kept only as
-- long as a copy can live (ARGV[2] ms, the cache's TTL), not the day a live customer's is: after that, no key
-- names them.
-- ARGV: customer id, the cache's TTL in ms.
local epoch = redis.call('GET', 'crm:tags:epoch')
redis.call('INCR', 'crm:tags:v:' .. ARGV[1])
redis.call('PEXPIRE', 'crm:tags:v:' .. ARGV[1], ARGV[2])
if epoch then
  redis.call('DEL', 'crm:tags:' .. epoch .. ':' .. ARGV[1])
end
return 1
