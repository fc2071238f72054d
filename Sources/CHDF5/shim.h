// CHDF5: HDF5's C API. Its type and property-list ids are macros over library globals
// (valid only after H5open()), which Swift cannot import; each gets a one-line accessor.
#include <hdf5.h>

static inline hid_t driftlab_h5t_native_float(void)  { H5open(); return H5T_NATIVE_FLOAT; }
static inline hid_t driftlab_h5t_native_double(void) { H5open(); return H5T_NATIVE_DOUBLE; }
static inline hid_t driftlab_h5t_native_int8(void)   { H5open(); return H5T_NATIVE_INT8; }
static inline hid_t driftlab_h5t_native_uint8(void)  { H5open(); return H5T_NATIVE_UINT8; }
static inline hid_t driftlab_h5t_native_int32(void)  { H5open(); return H5T_NATIVE_INT32; }
static inline hid_t driftlab_h5t_native_uint32(void) { H5open(); return H5T_NATIVE_UINT32; }
static inline hid_t driftlab_h5t_native_int64(void)  { H5open(); return H5T_NATIVE_INT64; }
static inline hid_t driftlab_h5t_native_uint64(void) { H5open(); return H5T_NATIVE_UINT64; }
static inline hid_t driftlab_h5t_native_hbool(void)  { H5open(); return H5T_NATIVE_HBOOL; }
static inline hid_t driftlab_h5t_c_s1(void)          { H5open(); return H5T_C_S1; }
static inline size_t driftlab_h5t_variable(void)     { return H5T_VARIABLE; }

static inline hid_t driftlab_h5p_default(void)        { return H5P_DEFAULT; }
static inline hid_t driftlab_h5p_dataset_create(void) { H5open(); return H5P_DATASET_CREATE; }
static inline hid_t driftlab_h5p_file_access(void)    { H5open(); return H5P_FILE_ACCESS; }
static inline hid_t driftlab_h5p_file_create(void)    { H5open(); return H5P_FILE_CREATE; }
static inline hid_t driftlab_h5p_link_create(void)    { H5open(); return H5P_LINK_CREATE; }
static inline hid_t driftlab_h5s_all(void)            { return H5S_ALL; }
static inline hsize_t driftlab_h5s_unlimited(void)    { return H5S_UNLIMITED; }
static inline hid_t driftlab_h5e_default(void)        { return H5E_DEFAULT; }

static inline unsigned driftlab_h5f_acc_trunc(void)   { return H5F_ACC_TRUNC; }
static inline unsigned driftlab_h5f_acc_excl(void)    { return H5F_ACC_EXCL; }
static inline unsigned driftlab_h5f_acc_rdonly(void)  { return H5F_ACC_RDONLY; }
static inline unsigned driftlab_h5f_acc_rdwr(void)    { return H5F_ACC_RDWR; }
static inline unsigned driftlab_h5f_obj_all(void)     { return H5F_OBJ_ALL; }

// Turns off HDF5's automatic error printing: DriftLab reads the error stack itself and
// reports it in one line, naming the file and dataset.
static inline void driftlab_h5_silence_errors(void) { H5open(); H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
