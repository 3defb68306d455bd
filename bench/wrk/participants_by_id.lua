-- bench/run-participants: GET /api/v3/participants/{id}, rotating over the participant ids
-- (UUIDs, one a line) in $BENCH_IDS_FILE; each thread starts at a different place in the
-- list. The token comes from $BENCH_TOKEN_FILE (report.lua).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

function init(args)
   reqs = {}
   for id in io.lines(os.getenv("BENCH_IDS_FILE")) do
      if id ~= "" then
         reqs[#reqs + 1] = wrk.format("GET", "/api/v3/participants/" .. id)
      end
   end
   assert(#reqs > 0, "no participant ids")
   pos = math.floor(#reqs * ((thread_no or 1) - 1) / (thread_count or 1))
end

function request()
   pos = pos % #reqs + 1
   return reqs[pos]
end
