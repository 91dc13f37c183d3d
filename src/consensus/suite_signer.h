// Signer and SignatureVerifier over the chain's crypto suite (SM2 or Ed25519): what a node uses.
// Validator public keys in a ValidatorSet are the raw keys of crypto/public_key.h.
#pragma once

#include <cstddef>

#include "consensus/signer.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"
#include "crypto/public_key_cache.h"

namespace rightchain::consensus {

class SuiteSigner final : public Signer {
 public:
  explicit SuiteSigner(crypto::PrivateKey key) : key_(std::move(key)) {}
  Bytes public_key() const override;
  // Signs a tagged object, or a C2SP signed-note text (a log checkpoint) as a note.
  Result<Bytes> Sign(ByteView message) override;

 private:
  crypto::PrivateKey key_;
};

// Parses each validator key once and keeps it (validator sets change rarely). Not thread-safe.
class SuiteVerifier final : public SignatureVerifier {
 public:
  explicit SuiteVerifier(crypto::SignatureScheme scheme) : scheme_(scheme) {}
  bool Verify(ByteView public_key, ByteView message, ByteView signature) const override;

 private:
  static constexpr std::size_t kCachedValidatorKeys = 1024;  // far more than a set ever holds
  crypto::SignatureScheme scheme_;
  mutable crypto::PublicKeyCache parsed_{kCachedValidatorKeys};
};

}  // namespace rightchain::consensus
