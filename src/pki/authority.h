// The consortium certificate authority: issues transport (node) and TSA certificates and CRLs.
//
// Certificate profile (see docs/network.md): ECDSA P-256 keys, ecdsa-with-SHA256 signatures,
// random 128-bit serials, X.509 v3. The CA is self-signed with basicConstraints CA:TRUE
// (critical) and keyUsage keyCertSign, cRLSign (critical).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "pki/certificate.h"
#include "pki/certificate_request.h"
#include "pki/private_key.h"
#include "pki/revocation_list.h"

namespace rightchain::pki {

// One X.509 v3 extension in OpenSSL's configuration syntax, e.g.
// {"extendedKeyUsage", "critical,timeStamping"} or {"subjectAltName", "DNS:node-1,IP:::1"}.
struct ExtensionSpec {
  std::string name;
  std::string value;
};

// What an issued certificate says. Adding a kind of certificate means writing a profile.
struct CertificateProfile {
  std::string common_name;                // subject CN; required
  int validity_days = 365;                // from now; must be in [1, kMaxValidityDays]
  std::vector<ExtensionSpec> extensions;  // besides subject/authority key identifiers
};

inline constexpr int kMaxValidityDays = 100 * 366;
inline constexpr std::size_t kMaxCommonNameSize = 64;  // RFC 5280 ub-common-name

// Node transport certificate: basicConstraints CA:FALSE, keyUsage digitalSignature (critical),
// extendedKeyUsage serverAuth+clientAuth, subjectAltName IP:127.0.0.1, IP:::1 plus `dns_names`
// and `ip_addresses`.
CertificateProfile NodeCertificateProfile(const std::string& node_name, int validity_days,
                                          const std::vector<std::string>& dns_names = {},
                                          const std::vector<std::string>& ip_addresses = {});
// Time-stamping authority certificate (RFC 3161 §2.3): extendedKeyUsage timeStamping, critical.
CertificateProfile TimeStampingCertificateProfile(const std::string& name, int validity_days);

struct IssuedCertificate {
  Certificate certificate;
  PrivateKey private_key;
};

class CertificateAuthority {
 public:
  // A new CA: fresh P-256 key and a self-signed certificate with subject CN = `common_name`.
  static Result<CertificateAuthority> Create(const std::string& common_name, int validity_days);
  // Checks that the certificate is a CA certificate and that the key matches it.
  static Result<CertificateAuthority> FromParts(Certificate certificate, PrivateKey key);
  static Result<CertificateAuthority> LoadFiles(const std::string& certificate_path,
                                                const std::string& key_path);
  // Certificate 0644, key 0600.
  Status SaveFiles(const std::string& certificate_path, const std::string& key_path) const;

  const Certificate& certificate() const { return certificate_; }
  const PrivateKey& private_key() const { return key_; }

  // Issues a certificate for `subject_key`'s public half.
  Result<Certificate> Issue(const PrivateKey& subject_key, const CertificateProfile& profile) const;
  // Generates a P-256 key and issues a certificate for it.
  Result<IssuedCertificate> IssueWithNewKey(const CertificateProfile& profile) const;
  // Issues for the key in a CSR, after checking the CSR's self-signature. The subject and all
  // extensions come from `profile`: the CA decides names, the CSR only proves key possession.
  Result<Certificate> IssueFromRequest(const CertificateRequest& request,
                                       const CertificateProfile& profile) const;

  // A CRL listing `revoked_serials_hex` (lower-case or upper-case hex), valid for `next_update_days`.
  Result<RevocationList> IssueRevocationList(const std::vector<std::string>& revoked_serials_hex,
                                             int next_update_days, std::uint64_t crl_number = 1) const;
  // `existing` plus `serial_hex` (no duplicate if already listed), with the CRL number incremented.
  Result<RevocationList> Revoke(const RevocationList& existing, const std::string& serial_hex,
                                int next_update_days) const;

 private:
  CertificateAuthority(Certificate certificate, PrivateKey key)
      : certificate_(std::move(certificate)), key_(std::move(key)) {}

  Certificate certificate_;
  PrivateKey key_;
};

}  // namespace rightchain::pki
