// Test support: RFC 9162 §2.1 MTH, PATH and PROOF written as the RFC's recursive definitions over
// the whole list of leaf hashes, as an independent reference for the log and the verifiers.
// Subtree hashes are memoised so that tests can ask for roots at thousands of sizes.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "crypto/hash.h"

namespace rightchain::merkle::testing {

using crypto::Digest;
using crypto::HashAlgorithm;

class NaiveTree {
 public:
  explicit NaiveTree(HashAlgorithm algorithm) : algorithm_(algorithm) {}

  void AppendLeafHash(const Digest& leaf_hash) { leaf_hashes_.push_back(leaf_hash); }
  // Appends H(0x00 || data), hashed here rather than with the code under test.
  void AppendLeafData(ByteView data);
  std::uint64_t size() const { return leaf_hashes_.size(); }

  // MTH(D[0:size]).
  Digest Root(std::uint64_t size);
  // PATH(index, D[0:size]).
  std::vector<Digest> InclusionProof(std::uint64_t index, std::uint64_t size);
  // PROOF(size1, D[0:size2]).
  std::vector<Digest> ConsistencyProof(std::uint64_t size1, std::uint64_t size2);

 private:
  Digest Mth(std::uint64_t begin, std::uint64_t end);
  std::vector<Digest> Path(std::uint64_t index, std::uint64_t begin, std::uint64_t end);
  std::vector<Digest> Subproof(std::uint64_t size1, std::uint64_t begin, std::uint64_t end, bool complete);

  HashAlgorithm algorithm_;
  std::vector<Digest> leaf_hashes_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Digest> memo_;
};

}  // namespace rightchain::merkle::testing
