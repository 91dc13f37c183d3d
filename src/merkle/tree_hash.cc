#include "merkle/tree_hash.h"

#include <array>
#include <cstring>

namespace rightchain::merkle {

Digest LeafHash(HashAlgorithm algorithm, ByteView data) {
  crypto::Hasher hasher(algorithm);
  return hasher.Update(kLeafHashPrefix).Update(data).Finish();
}

Digest NodeHash(HashAlgorithm algorithm, const Digest& left, const Digest& right) {
  // One contiguous buffer and a one-shot hash: interior nodes dominate the log's hashing cost.
  std::array<std::uint8_t, 1 + 2 * crypto::kDigestSize> input;
  input[0] = kNodeHashPrefix;
  std::memcpy(input.data() + 1, left.data(), crypto::kDigestSize);
  std::memcpy(input.data() + 1 + crypto::kDigestSize, right.data(), crypto::kDigestSize);
  return crypto::Hash(algorithm, input);
}

Digest EmptyRoot(HashAlgorithm algorithm) {
  return crypto::Hash(algorithm, ByteView());
}

}  // namespace rightchain::merkle
