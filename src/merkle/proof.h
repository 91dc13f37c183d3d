// Verification of RFC 9162 inclusion proofs (§2.1.3.2) and consistency proofs (§2.1.4.2).
// Every argument may come from the network: bad sizes, lengths and hashes give a Status, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/status.h"
#include "crypto/hash.h"

namespace rightchain::merkle {

using crypto::Digest;
using crypto::HashAlgorithm;

// An inclusion proof holds at most one hash per level of a tree with up to 2^64 - 1 leaves,
// a consistency proof at most two; longer proofs are rejected before any hashing.
inline constexpr std::size_t kMaxInclusionProofHashes = 64;
inline constexpr std::size_t kMaxConsistencyProofHashes = 128;

// The root of a tree of `size` leaves in which leaf `index` has hash `leaf_hash` and `proof` is its
// audit path (sibling hashes from the leaf upwards). Fails if index >= size or the proof has the
// wrong number of hashes for (index, size).
Result<Digest> RootFromInclusionProof(HashAlgorithm algorithm, std::uint64_t index, std::uint64_t size,
                                      const Digest& leaf_hash, std::span<const Digest> proof);

// OK if `proof` shows that leaf `index` of the tree of `size` leaves with root `root` has hash `leaf_hash`.
Status VerifyInclusion(HashAlgorithm algorithm, std::uint64_t index, std::uint64_t size,
                       const Digest& leaf_hash, std::span<const Digest> proof, const Digest& root);

// OK if `proof` shows that the tree of `size1` leaves with root `root1` is a prefix of the tree of
// `size2` leaves with root `root2`. Equal sizes need an empty proof and equal roots. A proof from
// size 0 is rejected: the empty tree is a prefix of every tree, so such a proof shows nothing.
Status VerifyConsistency(HashAlgorithm algorithm, std::uint64_t size1, std::uint64_t size2,
                         std::span<const Digest> proof, const Digest& root1, const Digest& root2);

}  // namespace rightchain::merkle
