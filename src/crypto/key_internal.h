// Internal to the crypto module: what PublicKey and PrivateKey hold, and the helpers they share.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "crypto/openssl_util.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"

namespace rightchain::crypto {

struct PublicKey::State {
  SignatureScheme scheme;
  internal::EvpPkeyPointer key;  // immutable after construction; OpenSSL allows concurrent verification
  std::array<std::uint8_t, kSm2PublicKeySize> raw;
  std::size_t raw_size;
  KeyId key_id;
};

struct PrivateKey::State {
  internal::EvpPkeyPointer key;
};

namespace internal {

inline constexpr std::size_t kSm2ScalarSize = 32;
// An SM2 signature as DER SEQUENCE { INTEGER r, INTEGER s }: at most 2 + 2 × (2 + 33) bytes.
inline constexpr std::size_t kSm2DerSignatureMaxSize = 72;

struct KeyAccess {
  static EVP_PKEY* Evp(const PublicKey& key) { return key.state_->key.get(); }
  static EVP_PKEY* Evp(const PrivateKey& key) { return key.state_->key.get(); }
  // Takes a parsed and validated public key and its raw bytes.
  static PublicKey MakePublicKey(SignatureScheme scheme, EvpPkeyPointer key, ByteView raw);
  // Takes a validated private key; derives its PublicKey.
  static Result<PrivateKey> MakePrivateKey(SignatureScheme scheme, EvpPkeyPointer key);
};

// The scheme of a key OpenSSL parsed, or kInvalidArgument for any other algorithm.
Result<SignatureScheme> SchemeOfKey(const EVP_PKEY* key);

// The raw public key bytes (RawPublicKeySize(scheme) of them) of a public or private key.
Status ExtractRawPublicKey(SignatureScheme scheme, const EVP_PKEY* key, std::span<std::uint8_t> raw);

// True if `scalar` (32 bytes big-endian) is in [1, n-1], n the SM2 group order.
bool IsSm2ScalarInRange(ByteView scalar);

// Fixed 64-byte r‖s ↔ DER. Rejects r or s outside [1, n-1].
Result<std::size_t> Sm2SignatureToDer(ByteView signature,
                                      std::span<std::uint8_t, kSm2DerSignatureMaxSize> der);
Result<Signature> Sm2SignatureFromDer(ByteView der);

// Attaches SM2's distinguishing ID (kSm2DistinguishingId) to a sign/verify operation.
Status SetSm2DistinguishingId(EVP_PKEY_CTX* operation);

// True if the (whitespace-trimmed) PEM text starts with "-----BEGIN <label>-----".
bool PemHasLabel(std::string_view pem, std::string_view label);

// An upper bound on PEM inputs: our keys' PEM is under 1 KiB.
inline constexpr std::size_t kPemMaxSizeBytes = 16 * 1024;

}  // namespace internal
}  // namespace rightchain::crypto
