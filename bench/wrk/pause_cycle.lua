-- The write cycle: POST /api/v1/mentors/{id}/pause, then POST .../reactivate, then pause
-- again..., JSON bodies. Each thread owns $BENCH_MENTORS_PER_THREAD mentors from
-- $BENCH_WRITE_IDS_FILE (active, certified mentors picked by bench/run) and keeps every one
-- of them to one request in flight: wrk does not tell a script which connection a request
-- goes out on, so a mentor is taken from an idle queue for each request and goes back when
-- its answer arrives (matched by the X-Request-Id the service echoes). With more mentors
-- than connections per thread, each connection always has a mentor of its own, and every
-- mentor strictly alternates pause / reactivate: all answers should be 200.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

function init(args)
   local per = tonumber(os.getenv("BENCH_MENTORS_PER_THREAD"))
   local all = {}
   for id in io.lines(os.getenv("BENCH_WRITE_IDS_FILE")) do
      if id ~= "" then all[#all + 1] = id end
   end
   local first = ((thread_no or 1) - 1) * per
   assert(#all >= first + per, "not enough mentors for the write cycle")
   mentor, paused, queue = {}, {}, {}
   for k = 1, per do
      mentor[k] = all[first + k]
      paused[k] = false
      queue[k] = k
   end
   head, tail = 1, per
   headers = {}
   for name, value in pairs(wrk.headers) do headers[name] = value end
   headers["Content-Type"] = "application/json"
   pause_body = '{"reason":"bench/run pause and reactivate cycle","initiated_by":"bench/run"}'
   reactivate_body = '{"initiated_by":"bench/run"}'
   filler = wrk.format("GET", "/ceiling/nginx")
   seq, pauses, reactivations, conflicts, others, unmatched, starved = 0, 0, 0, 0, 0, 0, 0
   -- wrk calls request() once on the first thread to check the script's request, and
   -- never sends that one: give it the filler rather than a mentor.
   verifying = thread_no == 1
end

function request()
   if verifying then
      verifying = false
      return filler
   end
   if head > tail then
      starved = starved + 1 -- should not happen: more mentors than connections
      return filler
   end
   local k = queue[head]
   queue[head] = nil
   head = head + 1
   seq = seq + 1
   headers["X-Request-Id"] = string.format("bench-%d-%d-%d", thread_no or 1, k, seq)
   if paused[k] then
      return wrk.format("POST", "/api/v1/mentors/" .. mentor[k] .. "/reactivate", headers,
                        reactivate_body)
   end
   return wrk.format("POST", "/api/v1/mentors/" .. mentor[k] .. "/pause", headers, pause_body)
end

function response(status, headers_in, body)
   local rid = headers_in["X-Request-Id"]
   local k = rid and tonumber(string.match(rid, "^bench%-%d+%-(%d+)%-%d+$"))
   if not k or not mentor[k] then
      unmatched = unmatched + 1
      return
   end
   if status == 200 then
      if paused[k] then reactivations = reactivations + 1 else pauses = pauses + 1 end
      paused[k] = not paused[k]
   elseif status == 409 then
      conflicts = conflicts + 1 -- the mentor was already in the other state
      paused[k] = not paused[k]
   else
      others = others + 1 -- retried with the same operation
   end
   tail = tail + 1
   queue[tail] = k
end

function done(summary, latency, requests)
   bench_report(summary, latency, string.format(
      " pauses=%d reactivations=%d conflicts=%d other_errors=%d unmatched=%d starved=%d",
      bench_sum("pauses"), bench_sum("reactivations"), bench_sum("conflicts"),
      bench_sum("others"), bench_sum("unmatched"), bench_sum("starved")))
end
