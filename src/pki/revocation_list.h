// A certificate revocation list (CRL) issued by the consortium CA.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "pki/certificate.h"

namespace rightchain::pki {

class RevocationList {
 public:
  static Result<RevocationList> FromPem(std::string_view pem);
  static Result<RevocationList> LoadFile(const std::string& path);

  std::string ToPem() const;
  Status SaveFile(const std::string& path) const;  // 0644, atomic

  std::vector<std::string> RevokedSerialsHex() const;
  bool IsRevoked(const Certificate& certificate) const;  // by serial (issuer is checked by verification)
  std::uint64_t Number() const;                          // the cRLNumber extension; 0 when absent
  std::int64_t NextUpdateUnixSeconds() const;

  struct Native;

 private:
  explicit RevocationList(std::shared_ptr<Native> native) : native_(std::move(native)) {}
  friend struct NativeAccess;
  std::shared_ptr<Native> native_;  // never null
};

}  // namespace rightchain::pki
