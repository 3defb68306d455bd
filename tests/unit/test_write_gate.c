/* The write gate's accept decision and its shared counter. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/write_gate.h"
#include "tap.h"

int main(void)
{
    ok(write_gate_choose(0, 0, 0, 2) == GATE_NONE, "nothing pending: nothing");
    ok(write_gate_choose(1, 0, 0, 2) == GATE_READ, "only a read: read");
    ok(write_gate_choose(0, 1, 0, 2) == GATE_WRITE, "only a write: write");
    ok(write_gate_choose(0, 1, 7, 2) == GATE_WRITE, "no read waits: writes use every worker");
    ok(write_gate_choose(1, 1, 0, 2) == GATE_WRITE, "both, under budget: write progresses");
    ok(write_gate_choose(1, 1, 1, 2) == GATE_WRITE, "both, one below budget: write");
    ok(write_gate_choose(1, 1, 2, 2) == GATE_READ, "both, budget used: read first");
    ok(write_gate_choose(1, 1, 5, 2) == GATE_READ, "both, over budget: read first");
    ok(write_gate_choose(1, 0, 5, 2) == GATE_READ, "read with writes in flight: read");
    ok(write_gate_choose(1, 1, 0, 0) == GATE_READ, "budget 0: reads always first");

    struct write_gate *g = write_gate_new(8);
    ok(g != NULL, "gate mapped");
    ok(write_gate_in_flight(g) == 0, "starts empty");
    ok(write_gate_enter(g, 0, 2) && write_gate_enter(g, 1, 2), "two enter under limit 2");
    ok(!write_gate_enter(g, 2, 2), "third refused at limit 2");
    ok(write_gate_in_flight(g) == 2, "refused entry taken back");
    ok(write_gate_enter(g, 2, 0), "limit 0: always enters");
    ok(write_gate_in_flight(g) == 3, "three in flight");
    write_gate_leave(g, 0);
    write_gate_leave(g, 2);
    ok(write_gate_in_flight(g) == 1, "leave clears the slot");
    ok(write_gate_enter(g, 99, 1), "slot out of range: not counted");
    ok(write_gate_in_flight(g) == 1, "out-of-range slot not counted");
    write_gate_leave(g, 1);
    ok(write_gate_in_flight(g) == 0, "empty again");
    write_gate_free(g);
    return tap_done();
}
