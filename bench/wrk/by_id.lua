-- GET /api/v1/mentors/{id}$BENCH_PATH_SUFFIX, rotating over the mentor ids in
-- $BENCH_IDS_FILE (one a line); each thread starts at a different place in the list.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

function init(args)
   local suffix = os.getenv("BENCH_PATH_SUFFIX") or ""
   reqs = {}
   for id in io.lines(os.getenv("BENCH_IDS_FILE")) do
      if id ~= "" then
         reqs[#reqs + 1] = wrk.format("GET", "/api/v1/mentors/" .. id .. suffix)
      end
   end
   assert(#reqs > 0, "no mentor ids")
   pos = math.floor(#reqs * ((thread_no or 1) - 1) / (thread_count or 1))
end

function request()
   pos = pos % #reqs + 1
   return reqs[pos]
end
