-- bench/run-participants: GETs rotating over the request paths (one a line, query string
-- included and percent-encoded) in $BENCH_PATHS_FILE; each thread starts at a different
-- place in the list. Used for the list pages (a single line for a fixed page, every page
-- of 3000 for the worker RSS run). The token comes from $BENCH_TOKEN_FILE (report.lua).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

function init(args)
   reqs = {}
   for path in io.lines(os.getenv("BENCH_PATHS_FILE")) do
      if path ~= "" then reqs[#reqs + 1] = wrk.format("GET", path) end
   end
   assert(#reqs > 0, "no request paths")
   pos = math.floor(#reqs * ((thread_no or 1) - 1) / (thread_count or 1))
end

function request()
   pos = pos % #reqs + 1
   return reqs[pos]
end
