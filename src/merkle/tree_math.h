// Bit arithmetic on tree sizes and node positions shared by the proof and log code.
// A node at (level, index) covers leaves [index * 2^level, (index + 1) * 2^level).
#pragma once

#include <bit>
#include <cstdint>

#include "base/assert.h"

namespace rightchain::merkle::detail {

// The largest power of two strictly less than `size`: where RFC 9162 splits a tree of `size` > 1 leaves.
inline std::uint64_t SplitPoint(std::uint64_t size) {
  RC_ASSERT(size > 1);
  return std::bit_floor(size - 1);
}

inline bool IsPowerOfTwo(std::uint64_t value) {
  return std::has_single_bit(value);
}

inline bool BitIsSet(std::uint64_t value, unsigned bit) {
  return (value >> bit & 1) != 0;
}

// Number of leaves in a perfect subtree at `level`, for levels that fit in 64 bits.
inline std::uint64_t LeavesAtLevel(unsigned level) {
  RC_ASSERT(level < 64);
  return std::uint64_t{1} << level;
}

}  // namespace rightchain::merkle::detail
