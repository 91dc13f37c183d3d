// RFC 6962 / RFC 9162 §2.1.1 tree hashing with a suite's hash function.
// Leaves and interior nodes are hashed with different one-byte prefixes, so that no leaf
// can be passed off as an interior node (second-preimage resistance of the tree).
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "crypto/hash.h"

namespace rightchain::merkle {

using crypto::Digest;
using crypto::HashAlgorithm;

inline constexpr std::uint8_t kLeafHashPrefix = 0x00;
inline constexpr std::uint8_t kNodeHashPrefix = 0x01;

// H(0x00 ‖ data): the hash of one log entry.
Digest LeafHash(HashAlgorithm algorithm, ByteView data);

// H(0x01 ‖ left ‖ right): the hash of an interior node from its children's hashes.
Digest NodeHash(HashAlgorithm algorithm, const Digest& left, const Digest& right);

// H(""): the root of the tree with no leaves.
Digest EmptyRoot(HashAlgorithm algorithm);

}  // namespace rightchain::merkle
