// DriftLab's own single-precision GEMM for AVX-512 CPUs (Sources/CGEMM/gemm_avx512.c).
#ifndef DRIFTLAB_GEMM_H
#define DRIFTLAB_GEMM_H

// 1 when the CPU (and the OS) run AVX-512F instructions, else 0.
int driftlab_gemm_avx512_available(void);

// Row-major C = alpha * op(A) * op(B) + beta * C, as cblas_sgemm(CblasRowMajor, ...): op(A)
// is m x k, op(B) is k x n; lda, ldb, ldc are the row strides as stored. C is not read when
// beta is 0. Returns 0, or -1 when no memory could be had for packing B (C is untouched)
// or the CPU is not x86-64. Call only when driftlab_gemm_avx512_available() is 1.
int driftlab_sgemm_avx512(int transa, int transb, int m, int n, int k, float alpha,
                          const float *a, int lda, const float *b, int ldb,
                          float beta, float *c, int ldc);

#endif
