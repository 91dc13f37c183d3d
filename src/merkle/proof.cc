#include "merkle/proof.h"

#include <bit>
#include <string>

#include "merkle/tree_hash.h"

namespace rightchain::merkle {
namespace {

// value >> shift, defined as 0 for shifts of 64 or more (where the C++ shift is undefined).
std::uint64_t ShiftRight(std::uint64_t value, unsigned shift) {
  return shift >= 64 ? 0 : value >> shift;
}

std::string Count(std::uint64_t value) {
  return std::to_string(value);
}

}  // namespace

Result<Digest> RootFromInclusionProof(HashAlgorithm algorithm, std::uint64_t index, std::uint64_t size,
                                      const Digest& leaf_hash, std::span<const Digest> proof) {
  if (proof.size() > kMaxInclusionProofHashes) {
    return Status::LimitExceeded("inclusion proof has " + Count(proof.size()) +
                                 " hashes, more than the limit of " + Count(kMaxInclusionProofHashes));
  }
  if (index >= size) {
    return Status::InvalidArgument("leaf index " + Count(index) + " is not below the tree size " +
                                   Count(size));
  }
  // Below level `inner` the path from the leaf and the path from the last leaf (size - 1) differ, so
  // siblings may sit on either side; above it the leaf lies on the tree's right border, where every
  // sibling is a left sibling, present only at the levels where the index has a one bit.
  const unsigned inner = static_cast<unsigned>(std::bit_width(index ^ (size - 1)));
  const unsigned border = static_cast<unsigned>(std::popcount(ShiftRight(index, inner)));
  const std::size_t expected_hashes = std::size_t{inner} + border;
  if (proof.size() != expected_hashes) {
    return Status::VerificationFailed("inclusion proof for leaf " + Count(index) + " in a tree of " +
                                      Count(size) + " leaves must have " + Count(expected_hashes) +
                                      " hashes, but it has " + Count(proof.size()));
  }
  Digest seed = leaf_hash;
  for (unsigned level = 0; level < inner; ++level) {
    const Digest& sibling = proof[level];
    const bool node_is_left_child = (index >> level & 1) == 0;
    seed = node_is_left_child ? NodeHash(algorithm, seed, sibling) : NodeHash(algorithm, sibling, seed);
  }
  for (std::size_t position = inner; position < proof.size(); ++position) {
    seed = NodeHash(algorithm, proof[position], seed);
  }
  return seed;
}

Status VerifyInclusion(HashAlgorithm algorithm, std::uint64_t index, std::uint64_t size,
                       const Digest& leaf_hash, std::span<const Digest> proof, const Digest& root) {
  RC_ASSIGN_OR_RETURN(const Digest computed_root,
                      RootFromInclusionProof(algorithm, index, size, leaf_hash, proof));
  if (computed_root != root) {
    return Status::VerificationFailed("inclusion proof for leaf " + Count(index) +
                                      " leads to a root other than the " + "given root of the tree of " +
                                      Count(size) + " leaves");
  }
  return Status::Ok();
}

Status VerifyConsistency(HashAlgorithm algorithm, std::uint64_t size1, std::uint64_t size2,
                         std::span<const Digest> proof, const Digest& root1, const Digest& root2) {
  if (proof.size() > kMaxConsistencyProofHashes) {
    return Status::LimitExceeded("consistency proof has " + Count(proof.size()) +
                                 " hashes, more than the limit of " + Count(kMaxConsistencyProofHashes));
  }
  if (size1 > size2) {
    return Status::InvalidArgument("consistency proof from size " + Count(size1) + " to the smaller size " +
                                   Count(size2));
  }
  if (size1 == 0) {
    return Status::InvalidArgument(
        "consistency proof from size 0: the empty tree is a prefix of every tree, "
        "so there is nothing to prove");
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return Status::VerificationFailed("consistency proof between equal sizes must be empty, but it has " +
                                        Count(proof.size()) + " hashes");
    }
    if (root1 != root2) {
      return Status::VerificationFailed("trees of equal size " + Count(size1) + " have different roots");
    }
    return Status::Ok();
  }

  // RFC 9162 §2.1.4.2, step by step. fr and sr are the roots of the old and new tree being rebuilt.
  if (proof.empty()) {  // Step 1.
    return Status::VerificationFailed("consistency proof from size " + Count(size1) + " to " + Count(size2) +
                                      " is empty");
  }
  // Step 2: when size1 is a power of two the old tree is itself a subtree of the new one, and the
  // proof leaves out its hash: root1 takes its place as the first element.
  std::size_t position = 0;
  const Digest& first = std::has_single_bit(size1) ? root1 : proof[position++];
  // Steps 3 and 4.
  std::uint64_t first_node = size1 - 1;
  std::uint64_t second_node = size2 - 1;
  while ((first_node & 1) != 0) {
    first_node >>= 1;
    second_node >>= 1;
  }
  // Step 5.
  Digest first_root = first;
  Digest second_root = first;
  // Step 6.
  for (; position < proof.size(); ++position) {
    const Digest& hash = proof[position];
    if (second_node == 0) {
      return Status::VerificationFailed("consistency proof from size " + Count(size1) + " to " +
                                        Count(size2) + " has more hashes than the tree has levels");
    }
    if ((first_node & 1) != 0 || first_node == second_node) {
      first_root = NodeHash(algorithm, hash, first_root);
      second_root = NodeHash(algorithm, hash, second_root);
      while ((first_node & 1) == 0 && first_node != 0) {
        first_node >>= 1;
        second_node >>= 1;
      }
    } else {
      second_root = NodeHash(algorithm, second_root, hash);
    }
    first_node >>= 1;
    second_node >>= 1;
  }
  // Step 7.
  if (second_node != 0) {
    return Status::VerificationFailed("consistency proof from size " + Count(size1) + " to " + Count(size2) +
                                      " has too few hashes");
  }
  if (first_root != root1) {
    return Status::VerificationFailed("consistency proof does not lead to the root of the tree of size " +
                                      Count(size1));
  }
  if (second_root != root2) {
    return Status::VerificationFailed("consistency proof does not lead to the root of the tree of size " +
                                      Count(size2));
  }
  return Status::Ok();
}

}  // namespace rightchain::merkle
