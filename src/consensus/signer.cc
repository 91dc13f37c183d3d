#include "consensus/signer.h"

#include <algorithm>

namespace rightchain::consensus {
namespace {

std::uint64_t Fnv1a(std::uint64_t state, ByteView data) {
  for (std::uint8_t byte : data) {
    state ^= byte;
    state *= 0x100000001b3ULL;
  }
  return state;
}

std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

Bytes FakeSignature(ByteView public_key, ByteView message) {
  const std::uint64_t key_state = Fnv1a(0xcbf29ce484222325ULL, public_key);
  const std::uint64_t a = Mix(Fnv1a(key_state, message));
  const std::uint64_t b = Mix(a ^ Fnv1a(key_state ^ 0x9e3779b97f4a7c15ULL, message));
  Bytes signature(16);
  for (int i = 0; i < 8; ++i) {
    signature[i] = static_cast<std::uint8_t>(a >> (8 * i));
    signature[8 + i] = static_cast<std::uint8_t>(b >> (8 * i));
  }
  return signature;
}

Result<Bytes> FakeSigner::Sign(ByteView message) {
  return FakeSignature(public_key_, message);
}

bool FakeVerifier::Verify(ByteView public_key, ByteView message, ByteView signature) const {
  const Bytes expected = FakeSignature(public_key, message);
  return signature.size() == expected.size() &&
         std::equal(expected.begin(), expected.end(), signature.begin());
}

}  // namespace rightchain::consensus
