// Deterministic 64-bit mixing used for token and k-gram hashes (not cryptographic: fingerprints
// only need to be well spread and identical on every machine).
#pragma once

#include <cstdint>

namespace rightchain::fingerprint::detail {

// The SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijection with good avalanche.
inline std::uint64_t Mix64(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ull;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ull;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebull;
  return value ^ (value >> 31);
}

inline constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ull;
inline constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;

}  // namespace rightchain::fingerprint::detail
