// A small seeded PRNG (xoshiro256**, seeded by splitmix64) with the few distributions the
// simulator needs, written out so that a seed gives the same run on every platform and standard
// library (std:: distributions are not portable).
#pragma once

#include <cstdint>

#include "base/assert.h"

namespace rightchain::sim {

class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (auto& word : state_) word = SplitMix(seed);
  }

  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound), bound > 0, without modulo bias.
  std::uint64_t Below(std::uint64_t bound) {
    RC_ASSERT(bound > 0);
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    for (;;) {
      const std::uint64_t value = Next();
      if (value < limit) return value % bound;
    }
  }

  // Uniform in [low, high].
  std::int64_t Range(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(high - low) + 1));
  }

  // True with probability per_million / 1,000,000.
  bool Chance(std::uint32_t per_million) { return Below(1'000'000) < per_million; }

  // A derived, independent generator (one per purpose keeps runs stable when one part changes).
  Random Fork() { return Random(Next()); }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t SplitMix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_[4];
};

}  // namespace rightchain::sim
