// DriftLab's AVX-512 kernels: its own single-precision GEMM (gemm_avx512.c), and the sparse
// row sums and Adam update of a training step (rows_adam_avx512.c). Callers check
// driftlab_gemm_avx512_available() first.
#ifndef DRIFTLAB_KERNELS_H
#define DRIFTLAB_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// 1 when the CPU (and the OS) run AVX-512F instructions, else 0.
int driftlab_gemm_avx512_available(void);

// Row-major C = alpha * op(A) * op(B) + beta * C, as cblas_sgemm(CblasRowMajor, ...): op(A)
// is m x k, op(B) is k x n; lda, ldb, ldc are the row strides as stored. C is not read when
// beta is 0. Returns 0, or -1 when no memory could be had for packing B (C is untouched)
// or the CPU is not x86-64. Call only when driftlab_gemm_avx512_available() is 1.
int driftlab_sgemm_avx512(int transa, int transb, int m, int n, int k, float alpha,
                          const float *a, int lda, const float *b, int ldb,
                          float beta, float *c, int ldc);

// out[0..width) = start[0..width) (or 0 when start is NULL) + table row rows[0] + table
// row rows[1] + ..., each column added in that order (table row r starts at table + r *
// stride). start may equal out. Bit-identical to the Swift loop it replaces (sumRows).
void driftlab_sum_rows_avx512(float *out, const float *start, const float *table, ptrdiff_t stride,
                              const int32_t *rows, ptrdiff_t count, ptrdiff_t width);
// Two such sums, out0 from start0 over rows0 and out1 from start1 over rows1, interleaved;
// each bit-identical to driftlab_sum_rows_avx512 alone.
void driftlab_sum_rows_pair_avx512(float *out0, float *out1, const float *start0, const float *start1,
                                   const float *table, ptrdiff_t stride,
                                   const int32_t *rows0, ptrdiff_t count0, const int32_t *rows1, ptrdiff_t count1,
                                   ptrdiff_t width);

// Adam's update of n parameters, lane by lane exactly as NeuralNets.Adam.update computes it:
// m = beta1 m + (1 - beta1) g; v = beta2 v + ((1 - beta2) g) g; p -= (step_size m) / (sqrt(v) + epsilon).
void driftlab_adam_avx512(float *p, const float *g, float *m, float *v, ptrdiff_t n, float beta1, float one_minus_beta1,
                          float beta2, float one_minus_beta2, float step_size, float epsilon);

#endif
