// Process-wide allocator settings for the driftlab command (Sources/CMemory/memory.c).
#ifndef DRIFTLAB_MEMORY_H
#define DRIFTLAB_MEMORY_H

// Keeps blocks that are freed in the heap for reuse instead of returning them to the
// kernel (glibc: no trimming, no mmap below 1 GB). Does nothing on other C libraries.
void driftlab_keep_freed_memory(void);

#endif
