// Test support: the RFC 6962 reference tree (the leaves of the Certificate Transparency and
// transparency-dev/merkle test suites) and its SHA-256 roots at sizes 0 to 8.
//
// The golden roots were computed outside this code base, from the RFC 9162 definition with Python's
// hashlib, and sizes 0 to 3 again by composing `openssl dgst -sha256` by hand; they agree with the
// published prefixes (e3b0c442, 6e340b9c, fac54203, aeb6bcfe, d37ee418, 4e3bbb1f, 76e67dad, ddb89be4,
// 5dc9da79).
#pragma once

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "crypto/hash.h"

namespace rightchain::merkle::testing {

inline constexpr std::array<std::string_view, 8> kReferenceLeavesHex = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
};

// kReferenceRootsHex[n] is the SHA-256 root of the first n reference leaves.
inline constexpr std::array<std::string_view, 9> kReferenceRootsHex = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// The reference leaves as bytes.
inline std::vector<Bytes> ReferenceLeaves() {
  std::vector<Bytes> leaves;
  for (std::string_view hex : kReferenceLeavesHex) leaves.push_back(HexDecode(hex).value());
  return leaves;
}

inline crypto::Digest DigestFromHex(std::string_view hex) {
  const Bytes bytes = HexDecode(hex).value();
  RC_ASSERT(bytes.size() == crypto::kDigestSize);
  crypto::Digest digest;
  std::copy(bytes.begin(), bytes.end(), digest.begin());
  return digest;
}

}  // namespace rightchain::merkle::testing
