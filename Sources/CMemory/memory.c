#include "driftlab_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>

void driftlab_keep_freed_memory(void) {
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
}
#else
void driftlab_keep_freed_memory(void) {}
#endif
