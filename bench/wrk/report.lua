-- Shared by the bench/run wrk scripts (loaded with dofile from each of them):
--  * the bearer token, read from $BENCH_TOKEN_FILE (kept off wrk's command line);
--  * bench_report(), a machine-readable summary line that bench/run parses;
--  * a default done() printing it.
-- Latencies are in microseconds, durations in microseconds.

local token_file = os.getenv("BENCH_TOKEN_FILE")
if token_file and token_file ~= "" then
   local f = assert(io.open(token_file, "r"))
   local token = f:read("*l")
   f:close()
   wrk.headers["Authorization"] = "Bearer " .. token
end

-- The threads, in the main Lua state (setup runs there), for done() to read from.
bench_threads = {}

function bench_setup(thread)
   table.insert(bench_threads, thread)
   thread:set("thread_no", #bench_threads)
   thread:set("thread_count", tonumber(os.getenv("BENCH_THREADS") or "2"))
end

setup = bench_setup

-- Sum of a numeric global over all threads.
function bench_sum(name)
   local n = 0
   for _, t in ipairs(bench_threads) do
      n = n + (tonumber(t:get(name)) or 0)
   end
   return n
end

function bench_report(summary, latency, extra)
   local e = summary.errors
   io.write(string.format(
      "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "non2xx=%d connect=%d read=%d write=%d timeout=%d%s\n",
      summary.requests, summary.duration,
      math.floor(latency:percentile(50)), math.floor(latency:percentile(90)),
      math.floor(latency:percentile(99)), math.floor(latency.max),
      e.status, e.connect, e.read, e.write, e.timeout, extra or ""))
end

function done(summary, latency, requests)
   bench_report(summary, latency, "")
end
