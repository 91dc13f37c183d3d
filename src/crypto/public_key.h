// Public keys of both signature schemes: import (raw bytes, PEM), key id, verification.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/signature.h"
#include "crypto/suite.h"

namespace rightchain::crypto {

// A stable 32-byte identifier of a public key:
//   KeyId = H(DomainTag("rightchain/key-id") ‖ scheme byte ‖ raw public key)
// where H is the scheme's hash (SHA-256 for Ed25519, SM3 for SM2) and the scheme byte is
// SignatureScheme's wire value (1 = Ed25519, 2 = SM2).
inline constexpr std::size_t kKeyIdSize = 32;
using KeyId = std::array<std::uint8_t, kKeyIdSize>;
// kInvalidArgument if the raw key has the wrong size for the scheme (the bytes are not parsed).
Result<KeyId> ComputeKeyId(SignatureScheme scheme, ByteView raw_public_key);

class PrivateKey;
class PublicKey;
namespace internal {
struct KeyAccess;
Status VerifyUntagged(const PublicKey& key, ByteView message, ByteView signature);
}  // namespace internal

// Immutable and cheap to copy (shares the parsed key); safe to use from many threads at once.
class PublicKey {
 public:
  // Ed25519: 32 bytes. SM2: 65 bytes 0x04‖x‖y of a point on the curve (anything else is rejected).
  static Result<PublicKey> FromRaw(SignatureScheme scheme, ByteView raw);
  // A PEM "PUBLIC KEY" (SubjectPublicKeyInfo) of an Ed25519 or SM2 key.
  static Result<PublicKey> FromPem(std::string_view pem);

  Result<std::string> ToPem() const;

  SignatureScheme scheme() const;
  // The raw public key bytes, as stored on chain (see FromRaw).
  ByteView raw() const;
  const KeyId& key_id() const;

  // Verifies a signature over a binary object that starts with a domain tag.
  // kInvalidArgument if the message has no tag or the signature is malformed (wrong size, SM2 r or s
  // outside [1, n-1]); kVerificationFailed if the signature does not verify.
  Status Verify(ByteView message, ByteView signature) const;
  // Verifies a signature over a C2SP signed-note text (see CheckSignableNote).
  Status VerifyNote(std::string_view text, ByteView signature) const;

  // Same scheme and same raw bytes.
  friend bool operator==(const PublicKey& a, const PublicKey& b);

 private:
  friend struct internal::KeyAccess;
  struct State;
  explicit PublicKey(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  Status VerifyBytes(ByteView message, ByteView signature) const;
  friend Status internal::VerifyUntagged(const PublicKey& key, ByteView message, ByteView signature);

  std::shared_ptr<const State> state_;
};

}  // namespace rightchain::crypto
