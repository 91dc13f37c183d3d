// Authenticated encryption (AEAD) of the two suites, and random bytes.
//   AES-256-GCM (std): 32-byte key, through OpenSSL.
//   SM4-GCM (sm):      16-byte key, through libgcrypt (OpenSSL 3.0 has no SM4-GCM).
// Both: 12-byte nonce, 16-byte tag. A nonce must never repeat under one key.
#pragma once

#include <cstddef>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/suite.h"

namespace rightchain::crypto {

inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;
// Larger messages should be split; this also keeps lengths within the libraries' int arguments.
inline constexpr std::size_t kAeadMessageMaxSizeBytes = std::size_t{1} << 30;
inline constexpr std::size_t kRandomBytesMaxSize = std::size_t{1} << 20;

// 32 for AES-256-GCM, 16 for SM4-GCM.
std::size_t CipherKeySize(CipherAlgorithm algorithm);

// Returns ciphertext ‖ 16-byte tag. kInvalidArgument for a wrong key or nonce size or an oversized message.
Result<Bytes> Seal(CipherAlgorithm algorithm, ByteView key, ByteView nonce, ByteView associated_data,
                   ByteView plaintext);

// Takes ciphertext ‖ tag as Seal returns it; returns the plaintext, or kVerificationFailed if the tag,
// the ciphertext or the associated data were changed (no plaintext is released then).
Result<Bytes> Open(CipherAlgorithm algorithm, ByteView key, ByteView nonce, ByteView associated_data,
                   ByteView sealed);

// `size_bytes` bytes from OpenSSL's CSPRNG (at most kRandomBytesMaxSize).
Result<Bytes> RandomBytes(std::size_t size_bytes);

}  // namespace rightchain::crypto
