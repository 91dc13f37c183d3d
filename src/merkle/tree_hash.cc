#include "merkle/tree_hash.h"

#include <array>
#include <cstring>

namespace rightchain::merkle {
namespace {

// A per-thread hasher for each algorithm: creating an OpenSSL digest context per node costs about as
// much as hashing the node's 65 bytes. Hasher resets itself in Finish(), so reuse is safe.
crypto::Hasher& ThreadHasher(HashAlgorithm algorithm) {
  thread_local crypto::Hasher sha256(HashAlgorithm::kSha256);
  thread_local crypto::Hasher sm3(HashAlgorithm::kSm3);
  return algorithm == HashAlgorithm::kSha256 ? sha256 : sm3;
}

}  // namespace

Digest LeafHash(HashAlgorithm algorithm, ByteView data) {
  return ThreadHasher(algorithm).Update(kLeafHashPrefix).Update(data).Finish();
}

Digest NodeHash(HashAlgorithm algorithm, const Digest& left, const Digest& right) {
  // One contiguous buffer, one update: interior nodes dominate the log's hashing cost.
  std::array<std::uint8_t, 1 + 2 * crypto::kDigestSize> input;
  input[0] = kNodeHashPrefix;
  std::memcpy(input.data() + 1, left.data(), crypto::kDigestSize);
  std::memcpy(input.data() + 1 + crypto::kDigestSize, right.data(), crypto::kDigestSize);
  return ThreadHasher(algorithm).Update(input).Finish();
}

Digest EmptyRoot(HashAlgorithm algorithm) {
  return crypto::Hash(algorithm, ByteView());
}

}  // namespace rightchain::merkle
