// AVX-512 versions of two loops of a training step that the Swift code runs eight lanes
// wide: the sparse first layer's row sums and Adam's update. Each lane does exactly the
// operations of the Swift loop, in the same order (no fused multiply-add: this file is
// compiled with -ffp-contract=off), so results are bit-identical to it; only the width
// changes.
#include "kernels.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__)
#include <immintrin.h>  // x86 only: other CPUs get the stubs below

static inline __mmask16 tail_mask(ptrdiff_t left) { return (__mmask16)((1u << left) - 1); }

__attribute__((target("avx512f")))
void driftlab_sum_rows_avx512(float *out, const float *start, const float *table, ptrdiff_t stride,
                              const int32_t *rows, ptrdiff_t count, ptrdiff_t width) {
    ptrdiff_t j = 0;
    for (; j + 64 <= width; j += 64) {
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        if (start) {
            a0 = _mm512_loadu_ps(start + j); a1 = _mm512_loadu_ps(start + j + 16);
            a2 = _mm512_loadu_ps(start + j + 32); a3 = _mm512_loadu_ps(start + j + 48);
        }
        for (ptrdiff_t r = 0; r < count; r++) {
            const float *row = table + (ptrdiff_t)rows[r] * stride + j;
            a0 = _mm512_add_ps(a0, _mm512_loadu_ps(row));
            a1 = _mm512_add_ps(a1, _mm512_loadu_ps(row + 16));
            a2 = _mm512_add_ps(a2, _mm512_loadu_ps(row + 32));
            a3 = _mm512_add_ps(a3, _mm512_loadu_ps(row + 48));
        }
        _mm512_storeu_ps(out + j, a0); _mm512_storeu_ps(out + j + 16, a1);
        _mm512_storeu_ps(out + j + 32, a2); _mm512_storeu_ps(out + j + 48, a3);
    }
    for (; j < width; j += 16) {
        const __mmask16 m = width - j >= 16 ? (__mmask16)0xFFFF : tail_mask(width - j);
        __m512 a = start ? _mm512_maskz_loadu_ps(m, start + j) : _mm512_setzero_ps();
        for (ptrdiff_t r = 0; r < count; r++) {
            a = _mm512_add_ps(a, _mm512_maskz_loadu_ps(m, table + (ptrdiff_t)rows[r] * stride + j));
        }
        _mm512_mask_storeu_ps(out + j, m, a);
    }
}

// Two output rows at once (out0 from start0 over rows0, out1 from start1 over rows1), each exactly as driftlab_sum_rows_avx512 computes it. One row's
// sum is a chain of dependent additions (four 16-lane chains for 64 columns), so it runs at
// one term per addition latency; the two rows' chains are independent, and interleaving them
// lets the core overlap them.
__attribute__((target("avx512f")))
void driftlab_sum_rows_pair_avx512(float *out0, float *out1, const float *start0, const float *start1,
                                   const float *table, ptrdiff_t stride,
                                   const int32_t *rows0, ptrdiff_t count0, const int32_t *rows1, ptrdiff_t count1,
                                   ptrdiff_t width) {
    const ptrdiff_t both = count0 < count1 ? count0 : count1;
    ptrdiff_t j = 0;
    for (; j + 64 <= width; j += 64) {
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        __m512 b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        if (start0) {
            a0 = _mm512_loadu_ps(start0 + j); a1 = _mm512_loadu_ps(start0 + j + 16);
            a2 = _mm512_loadu_ps(start0 + j + 32); a3 = _mm512_loadu_ps(start0 + j + 48);
        }
        if (start1) {
            b0 = _mm512_loadu_ps(start1 + j); b1 = _mm512_loadu_ps(start1 + j + 16);
            b2 = _mm512_loadu_ps(start1 + j + 32); b3 = _mm512_loadu_ps(start1 + j + 48);
        }
        ptrdiff_t r = 0;
        for (; r < both; r++) {
            const float *x = table + (ptrdiff_t)rows0[r] * stride + j, *y = table + (ptrdiff_t)rows1[r] * stride + j;
            a0 = _mm512_add_ps(a0, _mm512_loadu_ps(x)); b0 = _mm512_add_ps(b0, _mm512_loadu_ps(y));
            a1 = _mm512_add_ps(a1, _mm512_loadu_ps(x + 16)); b1 = _mm512_add_ps(b1, _mm512_loadu_ps(y + 16));
            a2 = _mm512_add_ps(a2, _mm512_loadu_ps(x + 32)); b2 = _mm512_add_ps(b2, _mm512_loadu_ps(y + 32));
            a3 = _mm512_add_ps(a3, _mm512_loadu_ps(x + 48)); b3 = _mm512_add_ps(b3, _mm512_loadu_ps(y + 48));
        }
        for (ptrdiff_t q = r; q < count0; q++) {
            const float *x = table + (ptrdiff_t)rows0[q] * stride + j;
            a0 = _mm512_add_ps(a0, _mm512_loadu_ps(x)); a1 = _mm512_add_ps(a1, _mm512_loadu_ps(x + 16));
            a2 = _mm512_add_ps(a2, _mm512_loadu_ps(x + 32)); a3 = _mm512_add_ps(a3, _mm512_loadu_ps(x + 48));
        }
        for (ptrdiff_t q = r; q < count1; q++) {
            const float *y = table + (ptrdiff_t)rows1[q] * stride + j;
            b0 = _mm512_add_ps(b0, _mm512_loadu_ps(y)); b1 = _mm512_add_ps(b1, _mm512_loadu_ps(y + 16));
            b2 = _mm512_add_ps(b2, _mm512_loadu_ps(y + 32)); b3 = _mm512_add_ps(b3, _mm512_loadu_ps(y + 48));
        }
        _mm512_storeu_ps(out0 + j, a0); _mm512_storeu_ps(out0 + j + 16, a1);
        _mm512_storeu_ps(out0 + j + 32, a2); _mm512_storeu_ps(out0 + j + 48, a3);
        _mm512_storeu_ps(out1 + j, b0); _mm512_storeu_ps(out1 + j + 16, b1);
        _mm512_storeu_ps(out1 + j + 32, b2); _mm512_storeu_ps(out1 + j + 48, b3);
    }
    if (j < width) {
        driftlab_sum_rows_avx512(out0 + j, start0 ? start0 + j : NULL, table + j, stride, rows0, count0, width - j);
        driftlab_sum_rows_avx512(out1 + j, start1 ? start1 + j : NULL, table + j, stride, rows1, count1, width - j);
    }
}

__attribute__((target("avx512f")))
void driftlab_adam_avx512(float *p, const float *g, float *m, float *v, ptrdiff_t n, float beta1, float one_minus_beta1,
                          float beta2, float one_minus_beta2, float step_size, float epsilon) {
    const __m512 b1 = _mm512_set1_ps(beta1), a1 = _mm512_set1_ps(one_minus_beta1);
    const __m512 b2 = _mm512_set1_ps(beta2), a2 = _mm512_set1_ps(one_minus_beta2);
    const __m512 step = _mm512_set1_ps(step_size), eps = _mm512_set1_ps(epsilon);
    for (ptrdiff_t i = 0; i < n; i += 16) {
        const __mmask16 k = n - i >= 16 ? (__mmask16)0xFFFF : tail_mask(n - i);
        const __m512 gi = _mm512_maskz_loadu_ps(k, g + i);
        // m = b1 m + (1 - b1) g;  v = b2 v + ((1 - b2) g) g;  p = p - (step m) / (sqrt(v) + eps)
        const __m512 mi = _mm512_add_ps(_mm512_mul_ps(b1, _mm512_maskz_loadu_ps(k, m + i)), _mm512_mul_ps(a1, gi));
        const __m512 vi = _mm512_add_ps(_mm512_mul_ps(b2, _mm512_maskz_loadu_ps(k, v + i)),
                                        _mm512_mul_ps(_mm512_mul_ps(a2, gi), gi));
        _mm512_mask_storeu_ps(m + i, k, mi);
        _mm512_mask_storeu_ps(v + i, k, vi);
        const __m512 update = _mm512_div_ps(_mm512_mul_ps(step, mi), _mm512_add_ps(_mm512_sqrt_ps(vi), eps));
        _mm512_mask_storeu_ps(p + i, k, _mm512_sub_ps(_mm512_maskz_loadu_ps(k, p + i), update));
    }
}

#else

void driftlab_sum_rows_avx512(float *out, const float *start, const float *table, ptrdiff_t stride,
                              const int32_t *rows, ptrdiff_t count, ptrdiff_t width) {
    (void)out; (void)start; (void)table; (void)stride; (void)rows; (void)count; (void)width;
}
void driftlab_sum_rows_pair_avx512(float *out0, float *out1, const float *start0, const float *start1,
                                   const float *table, ptrdiff_t stride,
                                   const int32_t *rows0, ptrdiff_t count0, const int32_t *rows1, ptrdiff_t count1,
                                   ptrdiff_t width) {
    (void)out0; (void)out1; (void)start0; (void)start1; (void)table; (void)stride; (void)rows0; (void)count0; (void)rows1; (void)count1;
    (void)width;
}
void driftlab_adam_avx512(float *p, const float *g, float *m, float *v, ptrdiff_t n, float beta1, float one_minus_beta1,
                          float beta2, float one_minus_beta2, float step_size, float epsilon) {
    (void)p; (void)g; (void)m; (void)v; (void)n; (void)beta1; (void)one_minus_beta1; (void)beta2; (void)one_minus_beta2;
    (void)step_size; (void)epsilon;
}

#endif
