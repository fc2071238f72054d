// Single-precision GEMM for AVX-512 CPUs, for the shapes of DriftLab's networks.
//
// OpenBLAS 0.3.21 (Debian 12) is pinned to its AVX2 (Haswell) kernels on the machines where
// its AVX-512 ones are not trusted, and BLIS 0.9 has no kernel for recent AMD CPUs; both
// leave half of an AVX-512 core's FMA width unused. This kernel is simple on purpose:
//
// - B is read in panels of 32 columns: in place (masked loads) when op(B) = B, packed
//   k-major and zero-padded when op(B) = B^T;
// - A is read in place, eight rows at a time (sixteen against a panel of 16 columns or
//   fewer), one broadcast per row and k (for op(A) = A^T the values are adjacent);
// - each element of C is one FMA chain over k = 0, 1, ..., K-1 in a register, then
//   alpha * sum (+ beta * C). Its value therefore depends only on the inputs and K, never
//   on M, N, the blocking or the thread that computes it.
//
// - products of at most 7 columns hold sixteen rows of C per register instead (narrow_block,
//   single_column_block), with the same chain per element.
//
// Built with the avx512f target attribute, so the rest of the package keeps its baseline;
// callers check driftlab_gemm_avx512_available() first.
#include "kernels.h"

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__x86_64__)

int driftlab_gemm_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

#define NR 32
#define MR 8

// C[0..mr, 0..32] (masked to nr columns) from mr rows of op(A) and one B panel.
// A element (r, k) is at a[r * ars + k * aks]; panel element (k, j) at b[k * bs + j].
__attribute__((target("avx512f")))
static inline void store_row(float *c, __m512 lo, __m512 hi, __mmask16 mlo, __mmask16 mhi, float alpha, float beta) {
    __m512 va = _mm512_set1_ps(alpha);
    lo = _mm512_mul_ps(va, lo);
    hi = _mm512_mul_ps(va, hi);
    if (beta != 0.0f) {
        __m512 vb = _mm512_set1_ps(beta);
        lo = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mlo, c), lo);
        hi = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mhi, c + 16), hi);
    }
    _mm512_mask_storeu_ps(c, mlo, lo);
    _mm512_mask_storeu_ps(c + 16, mhi, hi);
}

__attribute__((target("avx512f")))
static void kernel8(int k, const float *a, ptrdiff_t ars, ptrdiff_t aks, const float *b, ptrdiff_t bs,
                    float *c, int ldc, __mmask16 mlo, __mmask16 mhi, float alpha, float beta) {
    __m512 c0l = _mm512_setzero_ps(), c0h = _mm512_setzero_ps(), c1l = _mm512_setzero_ps(), c1h = _mm512_setzero_ps();
    __m512 c2l = _mm512_setzero_ps(), c2h = _mm512_setzero_ps(), c3l = _mm512_setzero_ps(), c3h = _mm512_setzero_ps();
    __m512 c4l = _mm512_setzero_ps(), c4h = _mm512_setzero_ps(), c5l = _mm512_setzero_ps(), c5h = _mm512_setzero_ps();
    __m512 c6l = _mm512_setzero_ps(), c6h = _mm512_setzero_ps(), c7l = _mm512_setzero_ps(), c7h = _mm512_setzero_ps();
    const float *a0 = a, *a1 = a + ars, *a2 = a + 2 * ars, *a3 = a + 3 * ars;
    const float *a4 = a + 4 * ars, *a5 = a + 5 * ars, *a6 = a + 6 * ars, *a7 = a + 7 * ars;
    for (int p = 0; p < k; p++) {
        const __m512 bl = _mm512_maskz_loadu_ps(mlo, b), bh = _mm512_maskz_loadu_ps(mhi, b + 16);
        const ptrdiff_t o = (ptrdiff_t)p * aks;
        __m512 x;
        x = _mm512_set1_ps(a0[o]); c0l = _mm512_fmadd_ps(x, bl, c0l); c0h = _mm512_fmadd_ps(x, bh, c0h);
        x = _mm512_set1_ps(a1[o]); c1l = _mm512_fmadd_ps(x, bl, c1l); c1h = _mm512_fmadd_ps(x, bh, c1h);
        x = _mm512_set1_ps(a2[o]); c2l = _mm512_fmadd_ps(x, bl, c2l); c2h = _mm512_fmadd_ps(x, bh, c2h);
        x = _mm512_set1_ps(a3[o]); c3l = _mm512_fmadd_ps(x, bl, c3l); c3h = _mm512_fmadd_ps(x, bh, c3h);
        x = _mm512_set1_ps(a4[o]); c4l = _mm512_fmadd_ps(x, bl, c4l); c4h = _mm512_fmadd_ps(x, bh, c4h);
        x = _mm512_set1_ps(a5[o]); c5l = _mm512_fmadd_ps(x, bl, c5l); c5h = _mm512_fmadd_ps(x, bh, c5h);
        x = _mm512_set1_ps(a6[o]); c6l = _mm512_fmadd_ps(x, bl, c6l); c6h = _mm512_fmadd_ps(x, bh, c6h);
        x = _mm512_set1_ps(a7[o]); c7l = _mm512_fmadd_ps(x, bl, c7l); c7h = _mm512_fmadd_ps(x, bh, c7h);
        b += bs;
    }
    store_row(c + 0 * (ptrdiff_t)ldc, c0l, c0h, mlo, mhi, alpha, beta);
    store_row(c + 1 * (ptrdiff_t)ldc, c1l, c1h, mlo, mhi, alpha, beta);
    store_row(c + 2 * (ptrdiff_t)ldc, c2l, c2h, mlo, mhi, alpha, beta);
    store_row(c + 3 * (ptrdiff_t)ldc, c3l, c3h, mlo, mhi, alpha, beta);
    store_row(c + 4 * (ptrdiff_t)ldc, c4l, c4h, mlo, mhi, alpha, beta);
    store_row(c + 5 * (ptrdiff_t)ldc, c5l, c5h, mlo, mhi, alpha, beta);
    store_row(c + 6 * (ptrdiff_t)ldc, c6l, c6h, mlo, mhi, alpha, beta);
    store_row(c + 7 * (ptrdiff_t)ldc, c7l, c7h, mlo, mhi, alpha, beta);
}

// A panel of at most 16 columns (the last one when N % 32 is 1..16, all of N = 16) fills only
// the low register of each row: sixteen rows at a time, one register each, keep as many FMA
// chains in flight as kernel8 does without computing the zero-padded half. Same chain per
// element as kernel8's low half.
#define ROW16(r) x = _mm512_set1_ps(a[(ptrdiff_t)(r) * ars + o]); c##r = _mm512_fmadd_ps(x, bl, c##r)
#define STORE16(r) store_row(c + (ptrdiff_t)(r) * ldc, c##r, c##r, mlo, 0, alpha, beta)
__attribute__((target("avx512f")))
static void kernel16_narrow(int k, const float *a, ptrdiff_t ars, ptrdiff_t aks, const float *b, ptrdiff_t bs,
                            float *c, int ldc, __mmask16 mlo, float alpha, float beta) {
    __m512 c0 = _mm512_setzero_ps(), c1 = _mm512_setzero_ps(), c2 = _mm512_setzero_ps(), c3 = _mm512_setzero_ps();
    __m512 c4 = _mm512_setzero_ps(), c5 = _mm512_setzero_ps(), c6 = _mm512_setzero_ps(), c7 = _mm512_setzero_ps();
    __m512 c8 = _mm512_setzero_ps(), c9 = _mm512_setzero_ps(), c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
    __m512 c12 = _mm512_setzero_ps(), c13 = _mm512_setzero_ps(), c14 = _mm512_setzero_ps(), c15 = _mm512_setzero_ps();
    for (int p = 0; p < k; p++) {
        const __m512 bl = _mm512_maskz_loadu_ps(mlo, b);
        const ptrdiff_t o = (ptrdiff_t)p * aks;
        __m512 x;
        ROW16(0); ROW16(1); ROW16(2); ROW16(3); ROW16(4); ROW16(5); ROW16(6); ROW16(7);
        ROW16(8); ROW16(9); ROW16(10); ROW16(11); ROW16(12); ROW16(13); ROW16(14); ROW16(15);
        b += bs;
    }
    STORE16(0); STORE16(1); STORE16(2); STORE16(3); STORE16(4); STORE16(5); STORE16(6); STORE16(7);
    STORE16(8); STORE16(9); STORE16(10); STORE16(11); STORE16(12); STORE16(13); STORE16(14); STORE16(15);
}
#undef ROW16
#undef STORE16

// One row at a time for the last M % 8 rows: the same FMA chain per element.
__attribute__((target("avx512f")))
static void kernel1(int k, const float *a, ptrdiff_t aks, const float *b, ptrdiff_t bs,
                    float *c, __mmask16 mlo, __mmask16 mhi, float alpha, float beta) {
    __m512 lo = _mm512_setzero_ps(), hi = _mm512_setzero_ps();
    if (mhi == 0) {  // a narrow panel: its high half is padding
        for (int p = 0; p < k; p++) {
            lo = _mm512_fmadd_ps(_mm512_set1_ps(a[(ptrdiff_t)p * aks]), _mm512_maskz_loadu_ps(mlo, b), lo);
            b += bs;
        }
    } else {
        for (int p = 0; p < k; p++) {
            const __m512 x = _mm512_set1_ps(a[(ptrdiff_t)p * aks]);
            lo = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(mlo, b), lo);
            hi = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(mhi, b + 16), hi);
            b += bs;
        }
    }
    store_row(c, lo, hi, mlo, mhi, alpha, beta);
}

// Stores lane r of `acc` as C[r * ldc] = alpha * acc (+ beta * C), for the lanes of `mask`:
// one column of sixteen rows, as store_row does for a row of a panel.
__attribute__((target("avx512f")))
static inline void store_column16(float *c, int ldc, __mmask16 mask, __m512 acc, float alpha, float beta) {
    const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i index = _mm512_mullo_epi32(lanes, _mm512_set1_epi32(ldc));
    __m512 out = _mm512_mul_ps(_mm512_set1_ps(alpha), acc);
    if (beta != 0.0f) {
        out = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_mask_i32gather_ps(_mm512_setzero_ps(), mask, index, c, 4), out);
    }
    _mm512_mask_i32scatter_ps(c, mask, index, out, 4);
}

// Products of at most NARROW columns (a value head, a policy head over a few actions, a
// drift's output) run sixteen rows of C to a register instead: a panel's lanes would be
// mostly padding. Register j of a block holds column j of sixteen rows; its lane r is still
// one FMA chain over k = 0, 1, ..., K-1 (the same fmadd, in the same order, from zero), then
// alpha * sum (+ beta * C): every element equals what the panel kernels give it. Rows of
// op(A) = A^T are adjacent in memory; those of op(A) = A are gathered, lda apart.
#define NARROW 7
__attribute__((target("avx512f")))
static void narrow_block(int k, int n, int rows, const float *a, ptrdiff_t ars, ptrdiff_t aks, int transa,
                         const float *b, ptrdiff_t bjs, ptrdiff_t bks, float *c, int ldc, float alpha, float beta) {
    const __mmask16 mask = (__mmask16)(rows >= 16 ? 0xFFFF : (1u << rows) - 1);
    const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i a_index = _mm512_mullo_epi32(lanes, _mm512_set1_epi32((int)ars));
    __m512 acc[NARROW];
    for (int j = 0; j < n; j++) acc[j] = _mm512_setzero_ps();
    for (int p = 0; p < k; p++) {
        const float *column = a + (ptrdiff_t)p * aks;
        const __m512 x = transa ? _mm512_maskz_loadu_ps(mask, column)
                                : _mm512_mask_i32gather_ps(_mm512_setzero_ps(), mask, a_index, column, 4);
        const float *bp = b + (ptrdiff_t)p * bks;
        switch (n) {  // unrolled so that the accumulators stay in registers
        case 7: acc[6] = _mm512_fmadd_ps(x, _mm512_set1_ps(bp[6 * bjs]), acc[6]); /* fall through */
        case 6: acc[5] = _mm512_fmadd_ps(x, _mm512_set1_ps(bp[5 * bjs]), acc[5]); /* fall through */
        case 5: acc[4] = _mm512_fmadd_ps(x, _mm512_set1_ps(bp[4 * bjs]), acc[4]); /* fall through */
        case 4: acc[3] = _mm512_fmadd_ps(x, _mm512_set1_ps(bp[3 * bjs]), acc[3]); /* fall through */
        case 3: acc[2] = _mm512_fmadd_ps(x, _mm512_set1_ps(bp[2 * bjs]), acc[2]); /* fall through */
        case 2: acc[1] = _mm512_fmadd_ps(x, _mm512_set1_ps(bp[1 * bjs]), acc[1]); /* fall through */
        default: acc[0] = _mm512_fmadd_ps(x, _mm512_set1_ps(bp[0]), acc[0]);
        }
    }
    for (int j = 0; j < n; j++) store_column16(c + j, ldc, mask, acc[j], alpha, beta);
}

// One column (a value head, a drift's output): one chain per sixteen rows would wait on
// each FMA's latency, so four registers of sixteen rows each run side by side. Each lane is
// the same chain as in narrow_block.
__attribute__((target("avx512f")))
static void single_column_block(int k, int rows, const float *a, ptrdiff_t ars, ptrdiff_t aks, int transa,
                                const float *b, ptrdiff_t bks, float *c, int ldc, float alpha, float beta) {
    __mmask16 mask[4];
    for (int v = 0; v < 4; v++) {
        const int left = rows - 16 * v;
        mask[v] = (__mmask16)(left >= 16 ? 0xFFFF : left <= 0 ? 0 : (1u << left) - 1);
    }
    const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i a_index = _mm512_mullo_epi32(lanes, _mm512_set1_epi32((int)ars));
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps(), acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    const ptrdiff_t block = 16 * ars;
    for (int p = 0; p < k; p++) {
        const float *column = a + (ptrdiff_t)p * aks;
        const __m512 w = _mm512_set1_ps(b[(ptrdiff_t)p * bks]);
        __m512 x0, x1, x2, x3;
        if (transa) {
            x0 = _mm512_maskz_loadu_ps(mask[0], column);
            x1 = _mm512_maskz_loadu_ps(mask[1], column + 16);
            x2 = _mm512_maskz_loadu_ps(mask[2], column + 32);
            x3 = _mm512_maskz_loadu_ps(mask[3], column + 48);
        } else {
            const __m512 zero = _mm512_setzero_ps();
            x0 = _mm512_mask_i32gather_ps(zero, mask[0], a_index, column, 4);
            x1 = _mm512_mask_i32gather_ps(zero, mask[1], a_index, column + block, 4);
            x2 = _mm512_mask_i32gather_ps(zero, mask[2], a_index, column + 2 * block, 4);
            x3 = _mm512_mask_i32gather_ps(zero, mask[3], a_index, column + 3 * block, 4);
        }
        acc0 = _mm512_fmadd_ps(x0, w, acc0);
        acc1 = _mm512_fmadd_ps(x1, w, acc1);
        acc2 = _mm512_fmadd_ps(x2, w, acc2);
        acc3 = _mm512_fmadd_ps(x3, w, acc3);
    }
    const __m512 acc[4] = {acc0, acc1, acc2, acc3};
    for (int v = 0; v < 4 && mask[v]; v++) store_column16(c + (ptrdiff_t)16 * v * ldc, ldc, mask[v], acc[v], alpha, beta);
}

// Packs columns j0..j0+nr of op(B) = B^T (k rows) into panel[k * 32], zero beyond nr.
static void pack_transposed_panel(int k, int nr, const float *b, int ldb, int j0, float *panel) {
    for (int p = 0; p < k; p++) {
        float *row = panel + (ptrdiff_t)p * NR;
        const float *src = b + (ptrdiff_t)j0 * ldb + p;
        int j = 0;
        for (; j < nr; j++) row[j] = src[(ptrdiff_t)j * ldb];
        for (; j < NR; j++) row[j] = 0.0f;
    }
}

__attribute__((target("avx512f")))
int driftlab_sgemm_avx512(int transa, int transb, int m, int n, int k, float alpha,
                          const float *a, int lda, const float *b, int ldb,
                          float beta, float *c, int ldc) {
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0 || alpha == 0.0f) {  // as BLAS: C = beta C, A and B unread (and C unread when beta is 0)
        for (int i = 0; i < m; i++) {
            float *row = c + (ptrdiff_t)i * ldc;
            for (int j = 0; j < n; j++) row[j] = beta == 0.0f ? 0.0f : beta * row[j];
        }
        return 0;
    }
    if (n <= NARROW) {
        // op(A)(i, p): A[i * lda + p], or A[p * lda + i]; op(B)(p, j): B[p * ldb + j], or B[j * ldb + p].
        const ptrdiff_t ars = transa ? 1 : lda, aks = transa ? lda : 1;
        const ptrdiff_t bjs = transb ? ldb : 1, bks = transb ? 1 : ldb;
        if (n == 1) {
            for (int i = 0; i < m; i += 64) {
                single_column_block(k, m - i < 64 ? m - i : 64, a + (ptrdiff_t)i * ars, ars, aks, transa, b, bks,
                                    c + (ptrdiff_t)i * ldc, ldc, alpha, beta);
            }
            return 0;
        }
        for (int i = 0; i < m; i += 16) {
            narrow_block(k, n, m - i < 16 ? m - i : 16, a + (ptrdiff_t)i * ars, ars, aks, transa, b, bjs, bks,
                         c + (ptrdiff_t)i * ldc, ldc, alpha, beta);
        }
        return 0;
    }
    const int panels = (n + NR - 1) / NR;
    // op(B) = B is read in place, row by row with masked loads (the same values a packed,
    // zero-padded panel holds): packing it would cost as much as a small-M product itself
    // (a weight gradient X^T dY). B^T is packed into k-major panels, as its columns are
    // strided. The packing buffer is the calling thread's, grown as needed and kept: a
    // training step makes many small products, and malloc per call would cost more.
    static __thread float *buffer = NULL;
    static __thread size_t capacity = 0;
    const float *panels_base = b;
    ptrdiff_t bs = ldb;                      // floats from one row of a panel to the next
    ptrdiff_t panel_step = NR;               // floats from one panel to the next
    if (transb) {
        const size_t need = (size_t)panels * NR * (size_t)k;
        if (need > capacity) {
            float *grown = (float *)aligned_alloc(64, need * sizeof(float));
            if (!grown) return -1;
            free(buffer);
            buffer = grown;
            capacity = need;
        }
        for (int q = 0; q < panels; q++) {
            const int j0 = q * NR, nr = n - j0 < NR ? n - j0 : NR;
            pack_transposed_panel(k, nr, b, ldb, j0, buffer + (size_t)q * NR * (size_t)k);
        }
        panels_base = buffer;
        bs = NR;
        panel_step = (ptrdiff_t)NR * k;
    }
    // op(A)(i, p): A[i * lda + p], or A[p * lda + i] when transposed.
    const ptrdiff_t ars = transa ? 1 : lda, aks = transa ? lda : 1;
    // The order of the tiles changes nothing in C (each element is its own chain), only
    // what stays in cache: when B fits in L2, eight rows of A at a time meet every panel;
    // when it does not (a long k, as in a weight gradient over a minibatch), each panel
    // meets every row of A.
    const int strips_outer = (size_t)panels * NR * (size_t)k * sizeof(float) <= 512 * 1024;
    const int strips = (m + MR - 1) / MR;
    for (int outer = 0; outer < (strips_outer ? strips : panels); outer++) {
        for (int inner = 0; inner < (strips_outer ? panels : strips); inner++) {
            const int s = strips_outer ? outer : inner, q = strips_outer ? inner : outer;
            const int i = s * MR, j0 = q * NR, nr = n - j0 < NR ? n - j0 : NR;
            const __mmask16 mlo = (__mmask16)(nr >= 16 ? 0xFFFF : (1u << nr) - 1);
            const __mmask16 mhi = (__mmask16)(nr >= 32 ? 0xFFFF : nr > 16 ? (1u << (nr - 16)) - 1 : 0);
            const float *panel = panels_base + (ptrdiff_t)q * panel_step;
            float *ct = c + (ptrdiff_t)i * ldc + j0;
            if (mhi == 0 && i % 16 == 0 && i + 16 <= m) {
                kernel16_narrow(k, a + (ptrdiff_t)i * ars, ars, aks, panel, bs, ct, ldc, mlo, alpha, beta);
            } else if (mhi == 0 && i % 16 == 8 && i + 8 <= m) {
                // computed with the eight rows above it, by kernel16_narrow
            } else if (i + MR <= m) {
                kernel8(k, a + (ptrdiff_t)i * ars, ars, aks, panel, bs, ct, ldc, mlo, mhi, alpha, beta);
            } else {
                for (int r = 0; i + r < m; r++) {
                    kernel1(k, a + (ptrdiff_t)(i + r) * ars, aks, panel, bs, ct + (ptrdiff_t)r * ldc, mlo, mhi, alpha, beta);
                }
            }
        }
    }
    return 0;
}

#else

int driftlab_gemm_avx512_available(void) { return 0; }
int driftlab_sgemm_avx512(int transa, int transb, int m, int n, int k, float alpha, const float *a, int lda,
                          const float *b, int ldb, float beta, float *c, int ldc) {
    (void)transa; (void)transb; (void)m; (void)n; (void)k; (void)alpha; (void)a; (void)lda;
    (void)b; (void)ldb; (void)beta; (void)c; (void)ldc;
    return -1;
}

#endif
