// Cryptographic hash functions of the two suites: SM3 (sm) and SHA-256 (std).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "base/bytes.h"

namespace rightchain::crypto {

enum class HashAlgorithm : std::uint8_t {
  kSha256 = 1,
  kSm3 = 2,
};

// Both suites' hashes are 256 bits.
inline constexpr std::size_t kDigestSize = 32;
using Digest = std::array<std::uint8_t, kDigestSize>;

std::string_view HashAlgorithmName(HashAlgorithm algorithm);  // "sha256" or "sm3"

// One-shot hash of `data`.
Digest Hash(HashAlgorithm algorithm, ByteView data);

// Incremental hashing; reusable after Finish() (it resets).
class Hasher {
 public:
  explicit Hasher(HashAlgorithm algorithm);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  HashAlgorithm algorithm() const { return algorithm_; }
  Hasher& Update(ByteView data);
  Hasher& Update(std::uint8_t byte) { return Update(ByteView(&byte, 1)); }
  Digest Finish();

 private:
  struct Context;
  HashAlgorithm algorithm_;
  std::unique_ptr<Context> context_;
};

}  // namespace rightchain::crypto
