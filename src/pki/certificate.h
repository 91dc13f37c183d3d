// An X.509 certificate (immutable value; copies share the parsed object).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::pki {

// SHA-256 of a certificate's DER encoding: the peer's transport id.
inline constexpr std::size_t kFingerprintSize = 32;
using Fingerprint = std::array<std::uint8_t, kFingerprintSize>;

class Certificate {
 public:
  // Parses the first PEM "CERTIFICATE" block.
  static Result<Certificate> FromPem(std::string_view pem);
  static Result<Certificate> FromDer(ByteView der);
  static Result<Certificate> LoadFile(const std::string& path);

  std::string ToPem() const;
  Bytes ToDer() const;
  // Written with 0644 permissions (a certificate is public).
  Status SaveFile(const std::string& path) const;

  Fingerprint GetFingerprint() const;
  std::string FingerprintHex() const;     // lower-case hex of GetFingerprint()
  std::string SubjectCommonName() const;  // empty when the subject has no CN
  std::string IssuerCommonName() const;
  std::string SerialHex() const;  // lower-case hex, no leading zeros
  std::int64_t NotBeforeUnixSeconds() const;
  std::int64_t NotAfterUnixSeconds() const;
  bool IsCertificateAuthority() const;  // basicConstraints CA:TRUE
  // extendedKeyUsage includes both serverAuth and clientAuth (a node transport certificate).
  bool AllowsTlsClientAndServer() const;
  // extendedKeyUsage includes timeStamping (a TSA certificate).
  bool AllowsTimeStamping() const;
  // subjectAltName entries as "DNS:name" and "IP:address" (IPv6 in RFC 5952 form).
  std::vector<std::string> SubjectAlternativeNames() const;

  struct Native;  // defined in pki/openssl_handles.h's translation units

 private:
  explicit Certificate(std::shared_ptr<Native> native) : native_(std::move(native)) {}
  friend struct NativeAccess;
  std::shared_ptr<Native> native_;  // never null
};

}  // namespace rightchain::pki
