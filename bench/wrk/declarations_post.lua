-- bench/run-writes: POST /api/v3/participant-declarations, one "started" declaration per
-- participant, never the same participant twice, so every successful answer creates exactly
-- one row. Participants come from $BENCH_DECL_FILE (lines "uuid<TAB>course<TAB>date", the date
-- inside the participant's started milestone window); thread k of n takes lines k, k + n, ...
-- Every answered declaration (200/201 with a participant-declaration body) is written as
-- "participant_id<TAB>course" to $BENCH_ANSWERED_DIR/answered-<thread>.txt, so bench/run-writes
-- can match answers to rows. When a thread runs out of participants it sends GET
-- /ceiling/nginx instead and counts it as starved (the run is then reported as a failure).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

function init(args)
   local n, k = thread_count or 1, thread_no or 1
   mine = {}
   local i = 0
   for line in io.lines(os.getenv("BENCH_DECL_FILE")) do
      local id, course, date = string.match(line, "^(%S+)\t(%S+)\t(%S+)$")
      if id then
         i = i + 1
         if (i - 1) % n == k - 1 then mine[#mine + 1] = { id, course, date } end
      end
   end
   pos = 0
   headers = {}
   for name, value in pairs(wrk.headers) do headers[name] = value end
   headers["Content-Type"] = "application/json"
   filler = wrk.format("GET", "/ceiling/nginx")
   answered = assert(io.open(os.getenv("BENCH_ANSWERED_DIR") .. "/answered-" .. k .. ".txt", "w"))
   answered:setvbuf("line")
   declared, rejected, others, starved, unparsed = 0, 0, 0, 0, 0
   sample = ""
end

function request()
   pos = pos + 1
   local p = mine[pos]
   if not p then
      starved = starved + 1
      return filler
   end
   local body = string.format(
      '{"data":{"type":"participant-declaration","attributes":{"participant_id":"%s",' ..
      '"declaration_type":"started","declaration_date":"%s","course_identifier":"%s",' ..
      '"evidence_held":"training-event-attended"}}}', p[1], p[3], p[2])
   return wrk.format("POST", "/api/v3/participant-declarations", headers, body)
end

function response(status, headers_in, body)
   if status == 200 or status == 201 then
      if not string.find(body, '"type":"participant-declaration"', 1, true) then
         return -- a filler answer
      end
      local id = string.match(body, '"participant_id":"([0-9a-f-]+)"')
      local course = string.match(body, '"course_identifier":"([a-z-]+)"')
      if id and course then
         answered:write(id, "\t", course, "\n")
         declared = declared + 1
      else
         unparsed = unparsed + 1
      end
   elseif status == 422 or status == 400 or status == 404 then
      rejected = rejected + 1
      if sample == "" then sample = string.sub(body, 1, 200) end
   else
      others = others + 1
      if sample == "" then sample = status .. " " .. string.sub(body, 1, 200) end
   end
end

function done(summary, latency, requests)
   local s = ""
   for _, t in ipairs(bench_threads) do
      local v = t:get("sample")
      if v and v ~= "" then s = v break end
   end
   bench_report(summary, latency, string.format(
      " declared=%d rejected=%d other_errors=%d starved=%d unparsed=%d",
      bench_sum("declared"), bench_sum("rejected"), bench_sum("others"), bench_sum("starved"),
      bench_sum("unparsed")))
   if s ~= "" then io.write("BENCH_SAMPLE ", (string.gsub(s, "\n", " ")), "\n") end
end
