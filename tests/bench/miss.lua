-- Each request a query string of its own, so no answer is ever served from a cache.
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?miss=" .. counter .. "-" .. math.random(1000000000))
end
