// CMPI: Open MPI's C API. MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, ... are macros over
// incomplete struct globals that Swift cannot reference at all; each gets an accessor.
#include <mpi.h>

static inline MPI_Comm driftlab_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype driftlab_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype driftlab_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype driftlab_mpi_long_long(void) { return MPI_LONG_LONG; }
static inline MPI_Op driftlab_mpi_sum(void) { return MPI_SUM; }
static inline int driftlab_mpi_success(void) { return MPI_SUCCESS; }
static inline int driftlab_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int driftlab_mpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int driftlab_mpi_any_tag(void) { return MPI_ANY_TAG; }
