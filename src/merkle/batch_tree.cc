#include "merkle/batch_tree.h"

#include "base/assert.h"

namespace rightchain::merkle {

Result<BatchTree> BatchTree::FromLeafHashes(HashAlgorithm algorithm, std::vector<Digest> leaf_hashes) {
  if (leaf_hashes.empty()) return Status::InvalidArgument("a batch tree needs at least one leaf");
  if (leaf_hashes.size() > kMaxLeaves) {
    return Status::LimitExceeded("a batch tree holds at most " + std::to_string(kMaxLeaves) + " leaves");
  }
  return BatchTree(algorithm, std::move(leaf_hashes));
}

Result<BatchTree> BatchTree::FromLeafData(HashAlgorithm algorithm, std::span<const Bytes> leaves) {
  if (leaves.size() > kMaxLeaves) {
    return Status::LimitExceeded("a batch tree holds at most " + std::to_string(kMaxLeaves) + " leaves");
  }
  std::vector<Digest> hashes;
  hashes.reserve(leaves.size());
  for (const Bytes& leaf : leaves) hashes.push_back(LeafHash(algorithm, leaf));
  return FromLeafHashes(algorithm, std::move(hashes));
}

BatchTree::BatchTree(HashAlgorithm algorithm, std::vector<Digest> leaf_hashes) : algorithm_(algorithm) {
  RC_ASSERT(!leaf_hashes.empty());
  levels_.push_back(std::move(leaf_hashes));
  while (levels_.back().size() > 1) {
    const std::vector<Digest>& below = levels_.back();
    std::vector<Digest> above;
    above.reserve((below.size() + 1) / 2);
    for (std::size_t i = 0; i + 1 < below.size(); i += 2)
      above.push_back(NodeHash(algorithm_, below[i], below[i + 1]));
    if (below.size() % 2 == 1) above.push_back(below.back());  // the lone last node moves up
    levels_.push_back(std::move(above));
  }
  RC_ASSERT(levels_.back().size() == 1);
}

std::vector<Digest> BatchTree::InclusionProof(std::uint64_t index) const {
  RC_ASSERT(index < size());
  std::vector<Digest> proof;
  std::uint64_t position = index;
  for (std::size_t level = 0; level + 1 < levels_.size(); ++level) {
    const std::vector<Digest>& nodes = levels_[level];
    const std::uint64_t sibling = position ^ 1;
    if (sibling < nodes.size()) proof.push_back(nodes[sibling]);
    position /= 2;
  }
  return proof;
}

}  // namespace rightchain::merkle
