// A certificate signing request (PKCS#10): lets a node keep its key on its own machine.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "pki/private_key.h"

namespace rightchain::pki {

class CertificateRequest {
 public:
  // A request signed by `key` with subject CN = `common_name`.
  static Result<CertificateRequest> Create(const PrivateKey& key, std::string_view common_name);
  static Result<CertificateRequest> FromPem(std::string_view pem);

  std::string ToPem() const;
  std::string SubjectCommonName() const;
  // Proof of possession: the request is signed by the key it carries.
  Status VerifySelfSignature() const;

  struct Native;

 private:
  explicit CertificateRequest(std::shared_ptr<Native> native) : native_(std::move(native)) {}
  friend struct NativeAccess;
  std::shared_ptr<Native> native_;  // never null
};

}  // namespace rightchain::pki
