-- wrk script: GET <prefix><n> for n over 1,000 roots, round robin per thread. The hello baseline runs the same
-- script (prefix /hello/r), so both sides pay the same Lua cost per request in wrk.
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

local prefix
local counter = 0

function init(args)
  prefix = args[1] or "/v1/roots/bench/r"
  tid = tid or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", prefix .. ((counter * 2 + tid) % 1000))
end
