#ifndef C_MEMORY_HINTS_H
#define C_MEMORY_HINTS_H

/// Asks the processor to start reading the cache line at `address` (for reading, kept in every cache
/// level), without waiting for it. Look-ups in tables larger than the cache issue these a group ahead so
/// that their memory reads overlap.
static inline void diversion_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
