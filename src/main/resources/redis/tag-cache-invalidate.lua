-- After a change commits: moves each customer's version on (so racing fills are refused, and copies held in
-- memory by any instance no longer match) and drops its entry.
-- ARGV: customer ids. Versions outlive every entry (a day against minutes), then expire.
local epoch = redis.call('GET', 'crm:tags:epoch')
for _, id in ipairs(ARGV) do
  redis.call('INCR', 'crm:tags:v:' .. id)
  redis.call('PEXPIRE', 'crm:tags:v:' .. id, 86400000)
  if epoch then
    redis.call('DEL', 'crm:tags:' .. epoch .. ':' .. id)
  end
end
return #ARGV
