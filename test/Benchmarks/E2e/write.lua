-- wrk script: PUT or PATCH (merge) of the ~500-byte benchmark document to 1,000 roots, round robin per thread.
-- Arguments: method (PUT | PATCH), key (yes: a unique Idempotency-Key per request | no), run nonce, body file.
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

local method, use_key, nonce, body, content_type
local counter = 0

function init(args)
  method = args[1] or "PATCH"
  use_key = args[2] == "yes"
  nonce = args[3] or "0"
  local f = assert(io.open(args[4], "r"))
  body = f:read("*a")
  f:close()
  content_type = method == "PUT" and "application/json" or "application/merge-patch+json"
  tid = tid or 0
end

function request()
  counter = counter + 1
  local root = (counter * 2 + tid) % 1000
  local headers = { ["Content-Type"] = content_type }
  if use_key then
    headers["Idempotency-Key"] = "k" .. nonce .. "-" .. tid .. "-" .. counter
  end
  return wrk.format(method, "/v1/roots/bench/r" .. root, headers, body)
end
