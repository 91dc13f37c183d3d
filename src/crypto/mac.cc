#include "crypto/mac.h"

#include <openssl/evp.h>

namespace rightchain::crypto {

Result<Digest> Hmac(HashAlgorithm algorithm, ByteView key, ByteView message) {
  if (key.size() < kMinHmacKeySize) {
    return Status::InvalidArgument("an HMAC key must have at least " + std::to_string(kMinHmacKeySize) +
                                   " bytes");
  }
  const char* digest_name = algorithm == HashAlgorithm::kSha256 ? "SHA2-256" : "SM3";
  Digest mac{};
  std::size_t mac_size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, digest_name, nullptr, key.data(), key.size(), message.data(),
                message.size(), mac.data(), mac.size(), &mac_size) == nullptr ||
      mac_size != mac.size()) {
    return Status::CryptoError("HMAC failed");
  }
  return mac;
}

}  // namespace rightchain::crypto
