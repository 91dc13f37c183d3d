// Private keys of both signature schemes: generation, encrypted PEM storage, signing.
// The secret stays inside OpenSSL; it leaves only as passphrase-encrypted PKCS#8.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/public_key.h"
#include "crypto/signature.h"
#include "crypto/suite.h"

namespace rightchain::crypto {

namespace internal {
Result<Signature> SignUntagged(const PrivateKey& key, ByteView message);
}  // namespace internal

// Move-only; Sign may be called from many threads at once.
class PrivateKey {
 public:
  static Result<PrivateKey> Generate(SignatureScheme scheme);
  // A key from raw secret bytes (kRawPrivateKeySize): for deterministic keys in tests and
  // simulations. Ed25519: the RFC 8032 seed. SM2: the scalar d, big-endian, in [1, n-2].
  static Result<PrivateKey> FromRaw(SignatureScheme scheme, ByteView secret);
  // A PEM PKCS#8 private key: "ENCRYPTED PRIVATE KEY" (decrypted with `passphrase`) or
  // "PRIVATE KEY" (unencrypted, e.g. from `openssl genpkey`). Wrong passphrase → kInvalidArgument.
  static Result<PrivateKey> FromPem(std::string_view pem, std::string_view passphrase);

  // Encrypted PKCS#8 PEM (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC). The passphrase must not be empty.
  Result<std::string> ToPem(std::string_view passphrase) const;

  SignatureScheme scheme() const { return public_key_.scheme(); }
  const PublicKey& public_key() const { return public_key_; }

  // Signs a binary object; kInvalidArgument unless it starts with a domain tag (crypto/domain.h).
  Result<Signature> Sign(ByteView message) const;
  // Signs a C2SP signed-note text; kInvalidArgument unless CheckSignableNote(text) is OK.
  Result<Signature> SignNote(std::string_view text) const;

  ~PrivateKey();
  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;

 private:
  friend struct internal::KeyAccess;
  struct State;
  PrivateKey(std::unique_ptr<State> state, PublicKey public_key);
  Result<Signature> SignBytes(ByteView message) const;
  friend Result<Signature> internal::SignUntagged(const PrivateKey& key, ByteView message);

  std::unique_ptr<State> state_;
  PublicKey public_key_;
};

}  // namespace rightchain::crypto
