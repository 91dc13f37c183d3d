#include "merkle/naive_tree_for_test.h"

#include "base/assert.h"

namespace rightchain::merkle::testing {
namespace {

// "the largest power of two smaller than n", by counting up rather than with bit tricks.
std::uint64_t LargestPowerOfTwoBelow(std::uint64_t n) {
  RC_ASSERT(n > 1);
  std::uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// H(0x01 || left || right), spelled out rather than shared with the code under test.
Digest HashChildren(HashAlgorithm algorithm, const Digest& left, const Digest& right) {
  crypto::Hasher hasher(algorithm);
  return hasher.Update(0x01).Update(left).Update(right).Finish();
}

}  // namespace

void NaiveTree::AppendLeafData(ByteView data) {
  crypto::Hasher hasher(algorithm_);
  leaf_hashes_.push_back(hasher.Update(0x00).Update(data).Finish());
}

Digest NaiveTree::Root(std::uint64_t size) {
  RC_ASSERT(size <= leaf_hashes_.size());
  return Mth(0, size);
}

std::vector<Digest> NaiveTree::InclusionProof(std::uint64_t index, std::uint64_t size) {
  RC_ASSERT(index < size && size <= leaf_hashes_.size());
  return Path(index, 0, size);
}

std::vector<Digest> NaiveTree::ConsistencyProof(std::uint64_t size1, std::uint64_t size2) {
  RC_ASSERT(0 < size1 && size1 <= size2 && size2 <= leaf_hashes_.size());
  return Subproof(size1, 0, size2, true);
}

Digest NaiveTree::Mth(std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (n == 0) return crypto::Hash(algorithm_, ByteView());
  if (n == 1) return leaf_hashes_[begin];
  const auto found = memo_.find({begin, end});
  if (found != memo_.end()) return found->second;
  const std::uint64_t k = LargestPowerOfTwoBelow(n);
  const Digest hash = HashChildren(algorithm_, Mth(begin, begin + k), Mth(begin + k, end));
  memo_.emplace(std::pair{begin, end}, hash);
  return hash;
}

// PATH(m, D[n]) with D = leaves [begin, end) and m = index - begin.
std::vector<Digest> NaiveTree::Path(std::uint64_t index, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (n == 1) return {};
  const std::uint64_t k = LargestPowerOfTwoBelow(n);
  std::vector<Digest> path;
  if (index - begin < k) {
    path = Path(index, begin, begin + k);
    path.push_back(Mth(begin + k, end));
  } else {
    path = Path(index, begin + k, end);
    path.push_back(Mth(begin, begin + k));
  }
  return path;
}

// SUBPROOF(m, D[n], b) with D = leaves [begin, end) and m = size1 - begin.
std::vector<Digest> NaiveTree::Subproof(std::uint64_t size1, std::uint64_t begin, std::uint64_t end,
                                        bool complete) {
  const std::uint64_t m = size1 - begin;
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (complete) return {};
    return {Mth(begin, end)};
  }
  const std::uint64_t k = LargestPowerOfTwoBelow(n);
  std::vector<Digest> proof;
  if (m <= k) {
    proof = Subproof(size1, begin, begin + k, complete);
    proof.push_back(Mth(begin + k, end));
  } else {
    proof = Subproof(size1, begin + k, end, false);
    proof.push_back(Mth(begin, begin + k));
  }
  return proof;
}

}  // namespace rightchain::merkle::testing
