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
//   single_column_block), with the same chain per element; op(A) = A is first transposed
//   sixteen rows at a time in registers (gathers and scatters are slow on Zen 4).
//
// Built with the avx512f target attribute, so the rest of the package keeps its baseline;
// callers check driftlab_gemm_avx512_available() first.
#include "kernels.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__x86_64__)
#include <immintrin.h>  // x86 only: other CPUs get the stubs below

int driftlab_gemm_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

#define NR 32
#define MR 8

// The low n lanes of a 16-lane mask (all of them for n >= 16, none for n <= 0).
static inline __mmask16 low_lanes(int n) {
    return (__mmask16)(n >= 16 ? 0xFFFF : n <= 0 ? 0 : (1u << n) - 1);
}

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

// Stores lane r of `acc` as C[r * ldc] = alpha * acc (+ beta * C), for r < rows: one column
// of sixteen rows, with store_row's arithmetic. C goes through a small array rather than a
// gather and a scatter, which cost tens of cycles each on AMD's Zen 4.
__attribute__((target("avx512f")))
static inline void store_column16(float *c, int ldc, int rows, __m512 acc, float alpha, float beta) {
    float lanes[16];
    __m512 out = _mm512_mul_ps(_mm512_set1_ps(alpha), acc);
    if (beta != 0.0f) {
        for (int r = 0; r < rows; r++) lanes[r] = c[(ptrdiff_t)r * ldc];
        const __mmask16 mask = low_lanes(rows);
        out = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(mask, lanes), out);
    }
    _mm512_storeu_ps(lanes, out);
    for (int r = 0; r < rows; r++) c[(ptrdiff_t)r * ldc] = lanes[r];
}

// Writes rows r < rows of A (row r at a + r * lda, k adjacent values) transposed to
// t[p * ts + r] for p < k, zero in lanes r >= rows: sixteen by sixteen in registers. The
// narrow products below then read sixteen rows of op(A) = A with one load per k, as they do
// for op(A) = A^T; a gather per k was the slowest part of a value head on Zen 4.
__attribute__((target("avx512f")))
static void transpose_rows16(int k, int rows, const float *a, ptrdiff_t lda, float *t, ptrdiff_t ts) {
    for (int p0 = 0; p0 < k; p0 += 16) {
        const int kk = k - p0 < 16 ? k - p0 : 16;
        const __mmask16 mask = low_lanes(kk);
        __m512 r[16], u[16];
        for (int i = 0; i < 16; i++) {
            r[i] = i < rows ? _mm512_maskz_loadu_ps(mask, a + (ptrdiff_t)i * lda + p0) : _mm512_setzero_ps();
        }
        // In each 128-bit lane l: pairs of rows interleaved, then quads, so that u[4g + c]
        // holds column 4l + c of rows 4g..4g+3.
        for (int i = 0; i < 16; i += 2) {
            u[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
            u[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
        }
        for (int g = 0; g < 4; g++) {
            const __m512d t0 = _mm512_castps_pd(u[4 * g]), t1 = _mm512_castps_pd(u[4 * g + 1]);
            const __m512d t2 = _mm512_castps_pd(u[4 * g + 2]), t3 = _mm512_castps_pd(u[4 * g + 3]);
            r[4 * g] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
            r[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
            r[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
            r[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
        }
        // Then the 4 x 4 transpose of 128-bit lanes: column 4l + c gathers lane l of
        // r[c], r[4 + c], r[8 + c], r[12 + c].
        for (int c = 0; c < 4; c++) {
            const __m512 v0 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0x44), v1 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0xEE);
            const __m512 v2 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0x44), v3 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0xEE);
            const __m512 column[4] = {_mm512_shuffle_f32x4(v0, v2, 0x88), _mm512_shuffle_f32x4(v0, v2, 0xDD),
                                      _mm512_shuffle_f32x4(v1, v3, 0x88), _mm512_shuffle_f32x4(v1, v3, 0xDD)};
            for (int l = 0; l < 4; l++) {
                if (4 * l + c < kk) _mm512_storeu_ps(t + (ptrdiff_t)(p0 + 4 * l + c) * ts, column[l]);
            }
        }
    }
}

// Products of at most NARROW columns (a value head, a policy head over a few actions, a
// drift's output) run sixteen rows of C to a register instead: a panel's lanes would be
// mostly padding. Register j of a block holds column j of sixteen rows; its lane r is still
// one FMA chain over k = 0, 1, ..., K-1 (the same fmadd, in the same order, from zero), then
// alpha * sum (+ beta * C): every element equals what the panel kernels give it. Row r of
// the block's op(A) at k = p is x[p * xs + r]: op(A) = A^T in place, op(A) = A transposed
// by transpose_rows16 first.
#define NARROW 7
__attribute__((target("avx512f")))
static void narrow_block(int k, int n, int rows, const float *x, ptrdiff_t xs,
                         const float *b, ptrdiff_t bjs, ptrdiff_t bks, float *c, int ldc, float alpha, float beta) {
    const __mmask16 mask = low_lanes(rows);
    __m512 acc[NARROW];
    for (int j = 0; j < n; j++) acc[j] = _mm512_setzero_ps();
    for (int p = 0; p < k; p++) {
        const __m512 v = _mm512_maskz_loadu_ps(mask, x + (ptrdiff_t)p * xs);
        const float *bp = b + (ptrdiff_t)p * bks;
        switch (n) {  // unrolled so that the accumulators stay in registers
        case 7: acc[6] = _mm512_fmadd_ps(v, _mm512_set1_ps(bp[6 * bjs]), acc[6]); /* fall through */
        case 6: acc[5] = _mm512_fmadd_ps(v, _mm512_set1_ps(bp[5 * bjs]), acc[5]); /* fall through */
        case 5: acc[4] = _mm512_fmadd_ps(v, _mm512_set1_ps(bp[4 * bjs]), acc[4]); /* fall through */
        case 4: acc[3] = _mm512_fmadd_ps(v, _mm512_set1_ps(bp[3 * bjs]), acc[3]); /* fall through */
        case 3: acc[2] = _mm512_fmadd_ps(v, _mm512_set1_ps(bp[2 * bjs]), acc[2]); /* fall through */
        case 2: acc[1] = _mm512_fmadd_ps(v, _mm512_set1_ps(bp[1 * bjs]), acc[1]); /* fall through */
        default: acc[0] = _mm512_fmadd_ps(v, _mm512_set1_ps(bp[0]), acc[0]);
        }
    }
    for (int j = 0; j < n; j++) store_column16(c + j, ldc, rows, acc[j], alpha, beta);
}

// One column (a value head, a drift's output): one chain per sixteen rows would wait on
// each FMA's latency, so four registers of sixteen rows each run side by side, reading
// x[p * xs + 16 v + r] as narrow_block does. Each lane is the same chain as in narrow_block.
__attribute__((target("avx512f")))
static void single_column_block(int k, int rows, const float *x, ptrdiff_t xs,
                                const float *b, ptrdiff_t bks, float *c, int ldc, float alpha, float beta) {
    __mmask16 mask[4];
    for (int v = 0; v < 4; v++) {
        const int left = rows - 16 * v;
        mask[v] = low_lanes(left);
    }
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps(), acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    for (int p = 0; p < k; p++) {
        const float *column = x + (ptrdiff_t)p * xs;
        const __m512 w = _mm512_set1_ps(b[(ptrdiff_t)p * bks]);
        acc0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask[0], column), w, acc0);
        acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask[1], column + 16), w, acc1);
        acc2 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask[2], column + 32), w, acc2);
        acc3 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask[3], column + 48), w, acc3);
    }
    const __m512 acc[4] = {acc0, acc1, acc2, acc3};
    for (int v = 0; v < 4 && mask[v]; v++) {
        const int left = rows - 16 * v;
        store_column16(c + (ptrdiff_t)16 * v * ldc, ldc, left >= 16 ? 16 : left, acc[v], alpha, beta);
    }
}

// The calling thread's scratch memory (packed B panels, transposed rows of A), grown as
// needed and kept: a training step makes many small products, and malloc per call would
// cost more. NULL when allocation fails.
static float *thread_buffer(size_t floats) {
    static __thread float *buffer = NULL;
    static __thread size_t capacity = 0;
    if (floats > capacity) {
        float *grown = (float *)aligned_alloc(64, ((floats * sizeof(float) + 63) / 64) * 64);
        if (!grown) return NULL;
        free(buffer);
        buffer = grown;
        capacity = floats;
    }
    return buffer;
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
        const ptrdiff_t bjs = transb ? ldb : 1, bks = transb ? 1 : ldb;
        const int block = n == 1 ? 64 : 16;
        float *rows_t = NULL;
        if (!transa && !(rows_t = thread_buffer((size_t)block * (size_t)k))) return -1;
        for (int i = 0; i < m; i += block) {
            const int rows = m - i < block ? m - i : block;
            const float *x = a + i;                // op(A) = A^T: row r of the block at k = p is a[p * lda + i + r]
            ptrdiff_t xs = lda;
            if (!transa) {
                for (int v = 0; v < block; v += 16) {
                    const int left = rows - v;
                    if (left <= 0) break;  // lanes single_column_block masks off
                    transpose_rows16(k, left > 16 ? 16 : left, a + (ptrdiff_t)(i + v) * lda, lda, rows_t + v, block);
                }
                x = rows_t;
                xs = block;
            }
            if (n == 1) {
                single_column_block(k, rows, x, xs, b, bks, c + (ptrdiff_t)i * ldc, ldc, alpha, beta);
            } else {
                narrow_block(k, n, rows, x, xs, b, bjs, bks, c + (ptrdiff_t)i * ldc, ldc, alpha, beta);
            }
        }
        return 0;
    }
    const int panels = (n + NR - 1) / NR;
    // op(B) = B is read in place, row by row with masked loads (the same values a packed,
    // zero-padded panel holds): packing it would cost as much as a small-M product itself
    // (a weight gradient X^T dY). B^T is packed into k-major panels, as its columns are
    // strided, into the calling thread's buffer.
    const float *panels_base = b;
    ptrdiff_t bs = ldb;                      // floats from one row of a panel to the next
    ptrdiff_t panel_step = NR;               // floats from one panel to the next
    if (transb) {
        float *buffer = thread_buffer((size_t)panels * NR * (size_t)k);
        if (!buffer) return -1;
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
            const __mmask16 mlo = low_lanes(nr);
            const __mmask16 mhi = low_lanes(nr - 16);
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
