-- Exactly $BENCH_COUNT GETs of /api/v1/mentors/{id} in all (split over the threads),
-- rotating over $BENCH_IDS_FILE. Once a thread has sent its share, its connections ask
-- nginx's fixed body (/ceiling/nginx) instead, so that no further request reaches the
-- pool; when all of its share has been answered the thread stops and appends a line to
-- $BENCH_DONE_FILE (bench/run then ends wrk with SIGINT). Only the service's answers carry
-- X-Request-Id, which tells them apart from the filler.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

function init(args)
   local total = tonumber(os.getenv("BENCH_COUNT"))
   local n, k = thread_count or 1, thread_no or 1
   share = math.floor(total / n) + ((k <= total % n) and 1 or 0)
   reqs = {}
   for id in io.lines(os.getenv("BENCH_IDS_FILE")) do
      if id ~= "" then reqs[#reqs + 1] = wrk.format("GET", "/api/v1/mentors/" .. id) end
   end
   assert(#reqs > 0, "no mentor ids")
   filler = wrk.format("GET", "/ceiling/nginx")
   pos = math.floor(#reqs * (k - 1) / n)
   sent, answered, not_ok, finished = 0, 0, 0, 0
   -- wrk calls request() once on the first thread to check the script's request, and
   -- never sends that one: give it the filler.
   verifying = thread_no == 1
end

function request()
   if verifying then
      verifying = false
      return filler
   end
   if sent >= share then return filler end
   sent = sent + 1
   pos = pos % #reqs + 1
   return reqs[pos]
end

function response(status, headers, body)
   if not headers["X-Request-Id"] then return end
   answered = answered + 1
   if status ~= 200 then not_ok = not_ok + 1 end
   if answered >= share and finished == 0 then
      finished = 1
      local f = io.open(os.getenv("BENCH_DONE_FILE"), "a")
      if f then f:write("done\n") f:close() end
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   bench_report(summary, latency, string.format(" api_sent=%d api_answered=%d api_not_200=%d",
      bench_sum("sent"), bench_sum("answered"), bench_sum("not_ok")))
end
