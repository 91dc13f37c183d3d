#include "crypto/suite.h"

#include <string>

namespace rightchain::crypto {
namespace {

constexpr Suite kSmSuite{SuiteId::kSm, "sm", HashAlgorithm::kSm3, SignatureScheme::kSm2,
                         CipherAlgorithm::kSm4Gcm};
constexpr Suite kStdSuite{SuiteId::kStd, "std", HashAlgorithm::kSha256, SignatureScheme::kEd25519,
                          CipherAlgorithm::kAes256Gcm};

}  // namespace

const Suite& GetSuite(SuiteId id) {
  switch (id) {
    case SuiteId::kSm: return kSmSuite;
    case SuiteId::kStd: return kStdSuite;
  }
  RC_UNREACHABLE();
}

Result<SuiteId> ParseSuiteName(std::string_view name) {
  if (name == kSmSuite.name) return SuiteId::kSm;
  if (name == kStdSuite.name) return SuiteId::kStd;
  return Status::InvalidArgument("unknown crypto suite \"" + std::string(name.substr(0, 32)) +
                                 "\" (expected \"sm\" or \"std\")");
}

Result<SuiteId> SuiteIdFromByte(std::uint8_t byte) {
  switch (static_cast<SuiteId>(byte)) {
    case SuiteId::kSm:
    case SuiteId::kStd: return static_cast<SuiteId>(byte);
  }
  return Status::InvalidArgument("unknown crypto suite id " + std::to_string(byte));
}

Result<SignatureScheme> SignatureSchemeFromByte(std::uint8_t byte) {
  switch (static_cast<SignatureScheme>(byte)) {
    case SignatureScheme::kEd25519:
    case SignatureScheme::kSm2: return static_cast<SignatureScheme>(byte);
  }
  return Status::InvalidArgument("unknown signature scheme " + std::to_string(byte));
}

Result<CipherAlgorithm> CipherAlgorithmFromByte(std::uint8_t byte) {
  switch (static_cast<CipherAlgorithm>(byte)) {
    case CipherAlgorithm::kAes256Gcm:
    case CipherAlgorithm::kSm4Gcm: return static_cast<CipherAlgorithm>(byte);
  }
  return Status::InvalidArgument("unknown cipher algorithm " + std::to_string(byte));
}

std::string_view SuiteName(SuiteId id) {
  return GetSuite(id).name;
}

std::string_view SignatureSchemeName(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::kEd25519: return "ed25519";
    case SignatureScheme::kSm2: return "sm2";
  }
  RC_UNREACHABLE();
}

std::string_view CipherAlgorithmName(CipherAlgorithm algorithm) {
  switch (algorithm) {
    case CipherAlgorithm::kAes256Gcm: return "aes-256-gcm";
    case CipherAlgorithm::kSm4Gcm: return "sm4-gcm";
  }
  RC_UNREACHABLE();
}

HashAlgorithm SchemeHashAlgorithm(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::kEd25519: return HashAlgorithm::kSha256;
    case SignatureScheme::kSm2: return HashAlgorithm::kSm3;
  }
  RC_UNREACHABLE();
}

}  // namespace rightchain::crypto
