#include "crypto/public_key_cache.h"

#include "base/assert.h"

namespace rightchain::crypto {

PublicKeyCache::PublicKeyCache(std::size_t capacity) : capacity_(capacity) {
  RC_ASSERT(capacity > 0);
}

Result<PublicKey> PublicKeyCache::Get(SignatureScheme scheme, ByteView raw) {
  std::pair<SignatureScheme, Bytes> key{scheme, Bytes(raw.begin(), raw.end())};
  if (const auto found = keys_.find(key); found != keys_.end()) return found->second;
  RC_ASSIGN_OR_RETURN(PublicKey parsed, PublicKey::FromRaw(scheme, raw));
  if (keys_.size() >= capacity_) keys_.clear();
  keys_.emplace(std::move(key), parsed);
  RC_ASSERT(keys_.size() <= capacity_);
  return parsed;
}

}  // namespace rightchain::crypto
