#ifndef C_PROCESSOR_H
#define C_PROCESSOR_H

#include <stdint.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Processor operations that Swift has no spelling for, as static inline functions that the Swift compiler
/// inlines into its callers.

/// Asks the processor to start reading the cache line at `address` (for reading, kept in every cache
/// level), without waiting for it. Look-ups in tables larger than the cache issue these a group ahead so
/// that their memory reads overlap.
static inline void diversion_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Lowers the low 16 bits of `*p` to `value` when `value` is lower, leaving the other bits as they are,
/// atomically (threads may lower the same word at once).
static inline void diversion_atomic_min_low16(uint64_t *p, uint16_t value) {
    uint64_t current = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (value < (uint16_t)current &&
           !__atomic_compare_exchange_n(p, &current, (current & ~(uint64_t)0xFFFF) | value, 1,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

/// `*p`, read as one word while other threads may change it.
static inline uint64_t diversion_load_u64(const uint64_t *p) {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/// Sets `*p` to `desired` if it holds `expected`, atomically; whether it did.
static inline int diversion_claim_u64(uint64_t *p, uint64_t expected, uint64_t desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/// Where in the line of eight 8-byte slots at `line` the slot whose bits above the low 16 equal `tag` is
/// (0 to 7); -1 when it is not there and the line has an empty slot (0), -2 when the line is full without it.
/// Slots fill in order, so no slot in use follows an empty one. Decided without a branch per slot.
///
/// With SSE2, two slots at a time (the line must be 16-byte aligned): a slot's 32-bit halves are compared and a
/// slot is equal when both are. Other threads may lower a slot's low 16 bits meanwhile; no other bit of a slot
/// in use changes once the table is built, so the answer does not depend on when each half is read.
static inline int diversion_find_tag8(const uint64_t *line, uint64_t tag) {
    unsigned found = 0, empty = 0;
#if defined(__SSE2__)
    const __m128i t = _mm_set1_epi64x((long long)tag);
    const __m128i high = _mm_set1_epi64x((long long)~(uint64_t)0xFFFF);
    const __m128i zero = _mm_setzero_si128();
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_load_si128((const __m128i *)(line + 2 * k));
        __m128i eq = _mm_cmpeq_epi32(_mm_and_si128(v, high), t);
        eq = _mm_and_si128(eq, _mm_shuffle_epi32(eq, _MM_SHUFFLE(2, 3, 0, 1)));
        __m128i none = _mm_cmpeq_epi32(v, zero);
        none = _mm_and_si128(none, _mm_shuffle_epi32(none, _MM_SHUFFLE(2, 3, 0, 1)));
        found |= (unsigned)_mm_movemask_pd(_mm_castsi128_pd(eq)) << (2 * k);
        empty |= (unsigned)_mm_movemask_pd(_mm_castsi128_pd(none)) << (2 * k);
    }
#else
    for (int i = 0; i < 8; i++) {
        uint64_t s = __atomic_load_n(line + i, __ATOMIC_RELAXED);
        found |= (unsigned)((s & ~(uint64_t)0xFFFF) == tag) << i;
        empty |= (unsigned)(s == 0) << i;
    }
#endif
    if (found) return __builtin_ctz(found);
    return empty ? -1 : -2;
}

/// Bit k of each mask stands for byte k of the sixteen classified.
typedef struct {
    uint32_t commas;   ///< ','
    uint32_t stops;    ///< '\n' or '\r'
    uint32_t refused;  ///< '"' or a byte of 0x80 and above (not ASCII)
} diversion_csv_bytes;

/// Classifies the sixteen bytes at `p` for a CSV reader that takes only unquoted ASCII: one vector compare
/// per class where the processor has them (SSE2 on every x86-64), a byte loop elsewhere.
static inline diversion_csv_bytes diversion_classify16(const uint8_t *p) {
    diversion_csv_bytes r;
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    r.commas = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
    r.stops = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
    r.refused = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), v));
#else
    r.commas = 0; r.stops = 0; r.refused = 0;
    for (int k = 0; k < 16; k++) {
        uint8_t c = p[k];
        if (c == ',') r.commas |= 1u << k;
        if (c == '\n' || c == '\r') r.stops |= 1u << k;
        if (c == '"' || c >= 0x80) r.refused |= 1u << k;
    }
#endif
    return r;
}

/// Whether the processor has the AVX-512 byte instructions ``diversion_split_line_avx512`` needs.
static inline int diversion_has_avx512bw(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    return __builtin_cpu_supports("avx512bw") ? 1 : 0;
#else
    return 0;
#endif
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
/// Splits the line that goes on at `base[i]` at its commas, 64 bytes at a time (only where the processor has
/// AVX-512BW: ask ``diversion_has_avx512bw`` first): the offset of each comma goes to `bounds[*column + 1]`
/// on, `*column` counting them. Returns the offset of the line end ('\n' or '\r') with `*state` 0; or stops
/// with `*state` 1 at the start of the 64 bytes that hold a '"' or a non-ASCII byte before the line end, or
/// when fewer than 64 bytes are left before `end` (the caller goes on from there); or with `*state` 2 when
/// the line has more than `width - 1` commas. Offsets may be written up to three places past the last comma
/// (`bounds` needs room up to `bounds[width + 2]`).
__attribute__((target("avx512bw,bmi")))
static long diversion_split_line_avx512(const uint8_t *base, long i, long end, long *bounds, long width,
                                        long *column, long *state) {
    const __m512i comma = _mm512_set1_epi8(','), lf = _mm512_set1_epi8('\n'), cr = _mm512_set1_epi8('\r'),
                  quote = _mm512_set1_epi8('"');
    long col = *column;
    while (i + 64 <= end) {
        __m512i v = _mm512_loadu_si512((const void *)(base + i));
        uint64_t stops = _mm512_cmpeq_epi8_mask(v, lf) | _mm512_cmpeq_epi8_mask(v, cr);
        uint64_t before = stops ? (stops & (0 - stops)) - 1 : ~(uint64_t)0;
        uint64_t refused = (_mm512_cmpeq_epi8_mask(v, quote) | _mm512_movepi8_mask(v)) & before;
        if (refused) break;
        uint64_t commas = _mm512_cmpeq_epi8_mask(v, comma) & before;
        long count = __builtin_popcountll(commas);
        if (col + count > width - 1) { *column = col; *state = 2; return i; }
        // Four offsets at a time, written whether or not there are that many commas left (the caller leaves room
        // for three past the last field), so that the loop's end does not hang on each comma.
        long *out = bounds + col + 1;
        col += count;
        while (commas) {
            out[0] = i + __builtin_ctzll(commas); commas &= commas - 1;
            out[1] = i + __builtin_ctzll(commas | ((uint64_t)1 << 63)); commas &= commas - 1;
            out[2] = i + __builtin_ctzll(commas | ((uint64_t)1 << 63)); commas &= commas - 1;
            out[3] = i + __builtin_ctzll(commas | ((uint64_t)1 << 63)); commas &= commas - 1;
            out += 4;
        }
        if (stops) { *column = col; *state = 0; return i + __builtin_ctzll(stops); }
        i += 64;
    }
    *column = col;
    *state = 1;
    return i;
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/// Checks the references `refs[0..<n]` against a table of `lines` lines of eight 8-byte slots at `slots` (64-byte
/// aligned; see ``diversion_find_tag8`` for a slot's layout), a whole line compared at once (AVX-512: ask
/// ``diversion_has_avx512bw`` first). A reference is a tag (its bits above the low 16) above a day; the line
/// is chosen by the tag's 32 bits from bit 16 up, and lines are probed in turn from there. Each reference's
/// day lowers its slot's day where it is earlier (atomically: other threads check other references at once).
/// Returns -1 when every reference's tag is in the table, else the index of the first that is not.
__attribute__((target("avx512f,avx512bw,bmi")))
static long diversion_check_references_avx512(uint64_t *slots, uint64_t lines, const uint64_t *refs, long n) {
    const __m512i high = _mm512_set1_epi64((long long)~(uint64_t)0xFFFF);
    const __m512i zero = _mm512_setzero_si512();
    for (long k = 0; k < n; k++) {
        uint64_t r = refs[k];
        uint64_t tag = r & ~(uint64_t)0xFFFF;
        uint16_t day = (uint16_t)r;
        uint64_t l = (((r >> 16) & 0xFFFFFFFFu) * lines) >> 32;
        const __m512i t = _mm512_set1_epi64((long long)tag);
        for (;;) {
            uint64_t *line = slots + 8 * l;
            __m512i v = _mm512_load_si512((const void *)line);
            __mmask8 found = _mm512_cmpeq_epi64_mask(_mm512_and_si512(v, high), t);
            if (found) {
                uint64_t *slot = line + __builtin_ctz((unsigned)found);
                if (day < (uint16_t)__atomic_load_n(slot, __ATOMIC_RELAXED)) diversion_atomic_min_low16(slot, day);
                break;
            }
            if (_mm512_cmpeq_epi64_mask(v, zero)) return k;
            l = l + 1 == lines ? 0 : l + 1;
        }
    }
    return -1;
}
#endif

/// The records that start in the `n` bytes at `p`, which begin at the start of a line: a record starts at a
/// byte that is neither '\n' nor '\r' and is the first of the bytes or follows a '\n' (a blank line, LF or
/// CR LF, starts none). Sixteen bytes at a time where the processor has vector compares.
static inline long diversion_count_records(const uint8_t *p, long n) {
    long count = 0;
    long k = 0;
    uint32_t carry = 1;  // the byte before the next one ends a line (true at the start)
#if defined(__SSE2__)
    for (; k + 16 <= n; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
        uint32_t lf = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        uint32_t cr = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
        uint32_t after = ((lf << 1) | carry) & 0xFFFFu;
        count += __builtin_popcount(after & ~(lf | cr) & 0xFFFFu);
        carry = (lf >> 15) & 1u;
    }
#endif
    for (; k < n; k++) {
        uint8_t c = p[k];
        if (carry && c != '\n' && c != '\r') count++;
        carry = c == '\n';
    }
    return count;
}

/// Asks the C library to give blocks of `bytes` and more back to the system as soon as they are freed (on
/// glibc; elsewhere nothing), instead of keeping them for the thread that allocated them.
static inline void diversion_return_freed_blocks(int bytes) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
#endif
}

/// The offset of the first of the `n` bytes at `p` that is `a`, `b`, `c` or `d` (`n` when none is), with
/// `*high` OR-ed with 0x80 when a byte before it is 0x80 or above (not ASCII). Sixteen bytes at a time where
/// the processor has vector compares.
static inline long diversion_find4(const uint8_t *p, long n, uint8_t a, uint8_t b, uint8_t c, uint8_t d,
                                   uint8_t *high) {
    long k = 0;
#if defined(__SSE2__)
    __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), vc = _mm_set1_epi8((char)c),
            vd = _mm_set1_epi8((char)d);
    for (; k + 16 <= n; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        uint32_t found = (uint32_t)_mm_movemask_epi8(m);
        uint32_t hi = (uint32_t)_mm_movemask_epi8(v);
        if (found) {
            uint32_t at = (uint32_t)__builtin_ctz(found);
            if (hi & ((1u << at) - 1u)) *high |= 0x80;
            return k + at;
        }
        if (hi) *high |= 0x80;
    }
#endif
    for (; k < n; k++) {
        uint8_t x = p[k];
        if (x == a || x == b || x == c || x == d) return k;
        *high |= x & 0x80;
    }
    return n;
}

#endif
