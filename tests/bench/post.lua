-- POST a form to the URL, with a description unique to each request (so none is a replay).
-- The form's other fields come from the BODY environment variable, already url-encoded.
local counter = 0
local base = os.getenv("BODY")

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  counter = counter + 1
  local body = base .. "&description=Seen+by+the+station+" .. math.random(1, 1000000000) .. "+" .. counter
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
