// CBLAS: OpenBLAS's C interface. Dimensions are Int32 on the Swift side.
#include <cblas.h>

// openblas_set_num_threads is declared in OpenBLAS's cblas.h; this wrapper keeps the
// call site independent of whether the header spells it with or without a prototype.
static inline void driftlab_blas_set_threads(int n) { openblas_set_num_threads(n); }
static inline int driftlab_blas_get_threads(void) { return openblas_get_num_threads(); }
