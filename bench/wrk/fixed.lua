-- One fixed request (wrk's URL), with the bench token: the ceilings and the list.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
