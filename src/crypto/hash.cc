#include "crypto/hash.h"

#include <openssl/evp.h>

#include "base/assert.h"

namespace rightchain::crypto {
namespace {

// Fetched once: EVP_MD_fetch per call would dominate the cost of hashing small inputs.
const EVP_MD* MessageDigest(HashAlgorithm algorithm) {
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  static const EVP_MD* const sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
  const EVP_MD* digest = algorithm == HashAlgorithm::kSha256 ? sha256 : sm3;
  RC_ASSERT_MSG(digest != nullptr, "OpenSSL lacks the hash algorithm");
  RC_ASSERT(static_cast<std::size_t>(EVP_MD_get_size(digest)) == kDigestSize);
  return digest;
}

}  // namespace

std::string_view HashAlgorithmName(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha256: return "sha256";
    case HashAlgorithm::kSm3: return "sm3";
  }
  RC_UNREACHABLE();
}

Digest Hash(HashAlgorithm algorithm, ByteView data) {
  Digest digest;
  unsigned int size = 0;
  const int done =
      EVP_Digest(data.data(), data.size(), digest.data(), &size, MessageDigest(algorithm), nullptr);
  RC_ASSERT(done == 1 && size == kDigestSize);
  return digest;
}

struct Hasher::Context {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(context); }
};

Hasher::Hasher(HashAlgorithm algorithm) : algorithm_(algorithm), context_(std::make_unique<Context>()) {
  RC_ASSERT(context_->context != nullptr);
  RC_ASSERT(EVP_DigestInit_ex(context_->context, MessageDigest(algorithm), nullptr) == 1);
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

Hasher& Hasher::Update(ByteView data) {
  RC_ASSERT(EVP_DigestUpdate(context_->context, data.data(), data.size()) == 1);
  return *this;
}

Digest Hasher::Finish() {
  Digest digest;
  unsigned int size = 0;
  RC_ASSERT(EVP_DigestFinal_ex(context_->context, digest.data(), &size) == 1 && size == kDigestSize);
  RC_ASSERT(EVP_DigestInit_ex(context_->context, MessageDigest(algorithm_), nullptr) == 1);
  return digest;
}

}  // namespace rightchain::crypto
