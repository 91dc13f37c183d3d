// A private key (ECDSA P-256 for transport and CA keys).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "pki/certificate.h"

namespace rightchain::pki {

class PrivateKey {
 public:
  static Result<PrivateKey> GenerateP256();
  // Accepts unencrypted PKCS#8 ("PRIVATE KEY") and traditional ("EC PRIVATE KEY") PEM.
  static Result<PrivateKey> FromPem(std::string_view pem);
  static Result<PrivateKey> LoadFile(const std::string& path);

  // Unencrypted PKCS#8 PEM. The key is in the clear: protect the file (SaveFile does, 0600).
  std::string ToPem() const;
  // Written atomically with 0600 permissions.
  Status SaveFile(const std::string& path) const;

  // OK when `certificate` carries this key's public half; else "private key does not match
  // certificate <CN>".
  Status CheckMatches(const Certificate& certificate) const;

  struct Native;

 private:
  explicit PrivateKey(std::shared_ptr<Native> native) : native_(std::move(native)) {}
  friend struct NativeAccess;
  std::shared_ptr<Native> native_;  // never null
};

}  // namespace rightchain::pki
