-- The participant action cycle: PUT /api/v3/participants/{id}/defer, then .../resume, then
-- defer again..., JSON bodies as the reference contract shapes them. The spec's same-day
-- rules (no resume on the day of a deferral, no defer on the day a period started) mean a
-- participant can move only once a day, so each request runs on its own sandbox day
-- (X-With-Server-Date): participant k's n-th action is on BENCH_START_DAY + n days.
-- Each thread owns $BENCH_PARTICIPANTS_PER_THREAD participants from $BENCH_IDS_FILE (ECTs
-- with an open, active training period, picked by bench/run-actions) and keeps each to one
-- request in flight (matched by the X-Request-Id the service echoes), as pause_cycle.lua
-- does. Every answer should be 200.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

function init(args)
   local per = tonumber(os.getenv("BENCH_PARTICIPANTS_PER_THREAD"))
   local all = {}
   for id in io.lines(os.getenv("BENCH_IDS_FILE")) do
      if id ~= "" then all[#all + 1] = id end
   end
   local first = ((thread_no or 1) - 1) * per
   assert(#all >= first + per, "not enough participants for the cycle")
   start_day = tonumber(os.getenv("BENCH_START_EPOCH")) -- seconds, a UTC noon
   participant, deferred, step, queue = {}, {}, {}, {}
   for k = 1, per do
      participant[k] = all[first + k]
      deferred[k] = false
      step[k] = 0
      queue[k] = k
   end
   head, tail = 1, per
   headers = {}
   for name, value in pairs(wrk.headers) do headers[name] = value end
   headers["Content-Type"] = "application/json"
   defer_body = '{"data":{"type":"participant-defer","attributes":' ..
                '{"reason":"career-break","course_identifier":"ecf-induction"}}}'
   resume_body = '{"data":{"type":"participant-resume","attributes":' ..
                 '{"course_identifier":"ecf-induction"}}}'
   filler = wrk.format("GET", "/healthz")
   seq, defers, resumes, refused, others, unmatched, starved = 0, 0, 0, 0, 0, 0, 0
   verifying = thread_no == 1
end

function request()
   if verifying then
      verifying = false
      return filler
   end
   if head > tail then
      starved = starved + 1
      return filler
   end
   local k = queue[head]
   queue[head] = nil
   head = head + 1
   seq = seq + 1
   step[k] = step[k] + 1
   headers["X-Request-Id"] = string.format("bench-%d-%d-%d", thread_no or 1, k, seq)
   headers["X-With-Server-Date"] = os.date("!%Y-%m-%dT%H:%M:%SZ", start_day + step[k] * 86400)
   local path = "/api/v3/participants/" .. participant[k]
   if deferred[k] then
      return wrk.format("PUT", path .. "/resume", headers, resume_body)
   end
   return wrk.format("PUT", path .. "/defer", headers, defer_body)
end

function response(status, headers_in, body)
   local rid = headers_in["X-Request-Id"]
   local k = rid and tonumber(string.match(rid, "^bench%-%d+%-(%d+)%-%d+$"))
   if not k or not participant[k] then
      unmatched = unmatched + 1
      return
   end
   if status == 200 then
      if deferred[k] then resumes = resumes + 1 else defers = defers + 1 end
      deferred[k] = not deferred[k]
   elseif status == 422 then
      refused = refused + 1 -- the participant was already in the other state
      deferred[k] = not deferred[k]
   else
      others = others + 1 -- retried with the same action on the next day
   end
   tail = tail + 1
   queue[tail] = k
end

function done(summary, latency, requests)
   bench_report(summary, latency, string.format(
      " defers=%d resumes=%d refused=%d other_errors=%d unmatched=%d starved=%d",
      bench_sum("defers"), bench_sum("resumes"), bench_sum("refused"),
      bench_sum("others"), bench_sum("unmatched"), bench_sum("starved")))
end
