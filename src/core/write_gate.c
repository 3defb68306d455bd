#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <sys/mman.h>

#include "core/arena.h"
#include "core/write_gate.h"

struct write_gate {
    size_t nslots;
    unsigned char *busy; /* shared mapping, one byte per worker slot */
};

enum gate_choice write_gate_choose(int read_pending, int write_pending, int writes_in_flight,
                                   int budget)
{
    if (write_pending && writes_in_flight < budget)
        return GATE_WRITE;
    if (read_pending)
        return GATE_READ;
    if (write_pending)
        return GATE_WRITE;
    return GATE_NONE;
}

struct write_gate *write_gate_new(size_t nslots)
{
    struct write_gate *g = xcalloc(1, sizeof(*g));
    g->nslots = nslots;
    g->busy = mmap(NULL, nslots, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (g->busy == MAP_FAILED) {
        free(g);
        return NULL;
    }
    return g;
}

void write_gate_free(struct write_gate *g)
{
    if (!g)
        return;
    munmap(g->busy, g->nslots);
    free(g);
}

size_t write_gate_slots(const struct write_gate *g)
{
    return g->nslots;
}

int write_gate_in_flight(const struct write_gate *g)
{
    int n = 0;
    for (size_t i = 0; i < g->nslots; i++)
        n += __atomic_load_n(&g->busy[i], __ATOMIC_SEQ_CST) != 0;
    return n;
}

int write_gate_enter(struct write_gate *g, size_t slot, int limit)
{
    if (slot >= g->nslots)
        return 1;
    /* Store then load (both sequentially consistent): of two workers entering together
     * at least one sees the other, so no more than limit pass. */
    __atomic_store_n(&g->busy[slot], 1, __ATOMIC_SEQ_CST);
    if (limit > 0 && write_gate_in_flight(g) > limit) {
        __atomic_store_n(&g->busy[slot], 0, __ATOMIC_SEQ_CST);
        return 0;
    }
    return 1;
}

void write_gate_leave(struct write_gate *g, size_t slot)
{
    if (slot < g->nslots)
        __atomic_store_n(&g->busy[slot], 0, __ATOMIC_SEQ_CST);
}
