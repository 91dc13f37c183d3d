// BatchTree: a whole RFC 6962 tree held in memory, built once from its leaves, that answers the
// root and every leaf's inclusion proof. For batches (a platform's registrations: up to a million
// records under one root) rather than the append-only log, which keeps its nodes in storage.
//
// Levels are built bottom-up; a level's last node without a sibling moves up unchanged, which
// gives exactly the RFC 6962 tree hash (MTH splits at the largest power of two below n).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "merkle/tree_hash.h"

namespace rightchain::merkle {

class BatchTree {
 public:
  // At most this many leaves: bounds memory at about 2 × 32 bytes per leaf (128 MiB).
  static constexpr std::size_t kMaxLeaves = std::size_t{1} << 21;

  // `leaf_hashes` are LeafHash values; at least one and at most kMaxLeaves.
  static Result<BatchTree> FromLeafHashes(HashAlgorithm algorithm, std::vector<Digest> leaf_hashes);
  // Each leaf's data is hashed with LeafHash.
  static Result<BatchTree> FromLeafData(HashAlgorithm algorithm, std::span<const Bytes> leaves);

  std::uint64_t size() const { return levels_.front().size(); }
  const Digest& root() const { return levels_.back().front(); }
  const Digest& leaf_hash(std::uint64_t index) const { return levels_.front().at(index); }
  // The RFC 6962 audit path of leaf `index` (< size), verifiable with VerifyInclusion.
  std::vector<Digest> InclusionProof(std::uint64_t index) const;

 private:
  BatchTree(HashAlgorithm algorithm, std::vector<Digest> leaf_hashes);

  HashAlgorithm algorithm_;
  std::vector<std::vector<Digest>> levels_;  // levels_[0]: leaves; levels_.back(): the root alone
};

}  // namespace rightchain::merkle
