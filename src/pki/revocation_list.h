// A certificate revocation list (CRL) issued by the consortium CA.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
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
  // The cRLNumber extension; none when absent or above 2^64 - 1 (RFC 5280 allows 20 octets).
  std::optional<std::uint64_t> Number() const;
  std::int64_t NextUpdateUnixSeconds() const;

  // kVerificationFailed unless `authority`'s key signed this list.
  Status CheckIssuedBy(const Certificate& authority) const;
  // Whether this list may replace `in_force` as the one peers are checked against: it carries a
  // CRL number, higher than `in_force`'s (when that has one). The CA numbers its lists in
  // increasing order (RFC 5280, 5.2.3), so a list with a lower or equal number is an older one,
  // or a replay, and may un-revoke a certificate (kVerificationFailed); a list without a number
  // cannot be ordered at all (kInvalidArgument).
  Status CheckSupersedes(const RevocationList& in_force) const;
  // kInvalidArgument when the list has no CRL number (see CheckSupersedes).
  Status CheckHasNumber() const;
  bool SameAs(const RevocationList& other) const;  // the same signed list, byte for byte

  struct Native;

 private:
  explicit RevocationList(std::shared_ptr<Native> native) : native_(std::move(native)) {}
  friend struct NativeAccess;
  std::shared_ptr<Native> native_;  // never null
};

}  // namespace rightchain::pki
