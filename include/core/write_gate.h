/* The write gate: how many write requests (POST/PUT/PATCH/DELETE, which nginx sends to the
 * write socket) the prefork workers may run while reads wait. One byte per worker in a
 * shared mapping made by the master before it forks; a worker sets its own byte while it
 * serves a write and the master clears the byte of a worker it reaps, so a worker killed
 * mid-request cannot leak the count. */
#ifndef ECF_CORE_WRITE_GATE_H
#define ECF_CORE_WRITE_GATE_H

#include <stddef.h>

enum gate_choice { GATE_NONE, GATE_READ, GATE_WRITE };

/* Which socket to accept from (pure): a write when fewer than budget writes are in flight
 * (writes always progress), else a pending read, else a write when no read waits. */
enum gate_choice write_gate_choose(int read_pending, int write_pending, int writes_in_flight,
                                   int budget);

struct write_gate;

struct write_gate *write_gate_new(size_t nslots); /* NULL on failure */
void write_gate_free(struct write_gate *g);
size_t write_gate_slots(const struct write_gate *g);
/* Writes in flight across the pool. */
int write_gate_in_flight(const struct write_gate *g);
/* Marks slot busy, then reports whether at most budget writes are now in flight; when not
 * (limit reached) the mark is taken back. With limit 0 the mark always stays. */
int write_gate_enter(struct write_gate *g, size_t slot, int limit);
void write_gate_leave(struct write_gate *g, size_t slot);

#endif
