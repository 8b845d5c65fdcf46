-- wrk script for `make bench-load` (marketplace/demo/bench_load.py runs it once per page).
--
-- Every request carries X-Forwarded-Proto: https, as the TLS proxy in front of production sends
-- (gunicorn trusts it from 127.0.0.1), so the app sees the scheme it sees in production. A page
-- that needs a signed-in user gets that user's session cookie from BENCH_COOKIE; the driver
-- passes it through the environment so that no session ever lands in a file.

wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Accept-Language"] = "ru"

local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

-- One JSON line after wrk's own report; the driver reads it (latency in microseconds).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"duration_us": %d, "requests": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %.0f, "p95": %.0f, "p99": %.0f, "mean": %.0f, "max": %.0f}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
