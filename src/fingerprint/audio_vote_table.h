// Offset votes of one audio query: a counter per (track slot, offset) key in one flat
// open-addressing table of 64-bit cells, (key << kCountBits) | count, zero when empty.
//
// Almost every vote of a query against a large index is a chance hit on a key of its own, so the
// table sees about as many keys as votes: a node-based hash map spends most of a query allocating
// nodes and chasing pointers, while this table is one allocation sized up front from the number of
// postings the query will read, probed linearly, and at most half full.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "base/assert.h"

namespace rightchain::fingerprint {

class AudioVoteTable {
 public:
  // A key is (slot << kOffsetBits) | biased offset, the biased offset in [1, 2^kOffsetBits): never 0.
  static constexpr unsigned kOffsetBits = 15;
  static constexpr unsigned kSlotBits = 32;
  static constexpr unsigned kCountBits = 64 - kOffsetBits - kSlotBits;
  static constexpr std::uint64_t kMaxCount = (std::uint64_t{1} << kCountBits) - 1;
  // 64 MiB: past this many keys, votes for keys not yet in the table are dropped (the keys
  // already in it, the ones with a chance of being a copy's offset, keep counting).
  static constexpr std::size_t kMaxCells = std::size_t{1} << 23;

  // Room for `expected_keys` distinct keys at a load of at most one half (capped at kMaxCells).
  explicit AudioVoteTable(std::size_t expected_keys) {
    std::size_t cells = std::bit_ceil(std::max<std::size_t>(2 * expected_keys, 64));
    if (cells > kMaxCells) cells = kMaxCells;
    cells_.assign(cells, 0);
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(cells));
    max_keys_ = cells / 4 * 3;
  }

  void Increment(std::uint64_t key) {
    RC_ASSERT(key != 0 && key < (std::uint64_t{1} << (kOffsetBits + kSlotBits)));
    const std::size_t mask = cells_.size() - 1;
    std::size_t cell = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
    while (true) {
      std::uint64_t& value = cells_[cell];
      if (value == 0) {
        if (key_count_ >= max_keys_) return;  // full: see kMaxCells
        value = (key << kCountBits) | 1;
        ++key_count_;
        return;
      }
      if ((value >> kCountBits) == key) {
        if ((value & kMaxCount) != kMaxCount) ++value;
        return;
      }
      cell = (cell + 1) & mask;
    }
  }

  // visit(key, count) for every key voted for, in no particular order.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    for (const std::uint64_t value : cells_) {
      if (value != 0) visit(value >> kCountBits, static_cast<std::uint32_t>(value & kMaxCount));
    }
  }

  std::size_t key_count() const { return key_count_; }

 private:
  std::vector<std::uint64_t> cells_;
  unsigned shift_ = 0;
  std::size_t max_keys_ = 0;
  std::size_t key_count_ = 0;
};

}  // namespace rightchain::fingerprint
