// Parsed public keys by their raw bytes, so that a sender who signs many transactions (a platform
// registering a batch of works) costs one key parse, not one per signature check. Parsing makes
// an OpenSSL object (about 3 µs for Ed25519 and 6 µs for SM2 on the benchmark machine, a
// twentieth of an Ed25519 verification).
#pragma once

#include <cstddef>
#include <map>
#include <utility>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/public_key.h"

namespace rightchain::crypto {

// Not thread-safe: one per thread (the node's core thread has its own; API threads use
// thread_local ones). Bounded: when `capacity` keys are held, the next new key empties it, which
// keeps the bound without per-lookup bookkeeping; a key that fails to parse is never kept.
class PublicKeyCache {
 public:
  explicit PublicKeyCache(std::size_t capacity);

  // As PublicKey::FromRaw, from the cache when the same scheme and bytes were parsed before.
  Result<PublicKey> Get(SignatureScheme scheme, ByteView raw);

  std::size_t size() const { return keys_.size(); }

 private:
  const std::size_t capacity_;
  std::map<std::pair<SignatureScheme, Bytes>, PublicKey> keys_;
};

}  // namespace rightchain::crypto
