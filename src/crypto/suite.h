// Crypto suites: a chain chooses one at genesis, and the suite names its hash, signature scheme
// and cipher. Wire bytes of the enums are stable (they appear in genesis files and signed objects).
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "crypto/hash.h"

namespace rightchain::crypto {

enum class SuiteId : std::uint8_t {
  kSm = 1,   // SM3, SM2 (GB/T 32918.2, ID "1234567812345678"), SM4-GCM
  kStd = 2,  // SHA-256, Ed25519 (RFC 8032), AES-256-GCM
};

enum class SignatureScheme : std::uint8_t {
  kEd25519 = 1,
  kSm2 = 2,
};

enum class CipherAlgorithm : std::uint8_t {
  kAes256Gcm = 1,
  kSm4Gcm = 2,
};

struct Suite {
  SuiteId id;
  std::string_view name;  // "sm" or "std"
  HashAlgorithm hash;
  SignatureScheme signature;
  CipherAlgorithm cipher;
};

const Suite& GetSuite(SuiteId id);

// "sm" or "std" (exact, lower case).
Result<SuiteId> ParseSuiteName(std::string_view name);

// Decoders for the enums' wire bytes: unknown values are an error, never a crash.
Result<SuiteId> SuiteIdFromByte(std::uint8_t byte);
Result<SignatureScheme> SignatureSchemeFromByte(std::uint8_t byte);
Result<CipherAlgorithm> CipherAlgorithmFromByte(std::uint8_t byte);

std::string_view SuiteName(SuiteId id);                           // "sm", "std"
std::string_view SignatureSchemeName(SignatureScheme scheme);     // "ed25519", "sm2"
std::string_view CipherAlgorithmName(CipherAlgorithm algorithm);  // "aes-256-gcm", "sm4-gcm"

// The hash that goes with a signature scheme (key ids, SM2's digest): SHA-256 for Ed25519, SM3 for SM2.
HashAlgorithm SchemeHashAlgorithm(SignatureScheme scheme);

}  // namespace rightchain::crypto
