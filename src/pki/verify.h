// Does a certificate chain to the consortium CA (and is it not revoked)?
#pragma once

#include <cstdint>
#include <optional>

#include "base/status.h"
#include "pki/certificate.h"
#include "pki/revocation_list.h"

namespace rightchain::pki {

struct VerifyOptions {
  // When set, the CRL is checked (it must be signed by the CA and not past its next update).
  const RevocationList* revocation_list = nullptr;
  // Verify as of this time instead of now (tests, audits of old evidence).
  std::optional<std::int64_t> at_unix_seconds;
};

// OK, or kVerificationFailed with a clear reason: "certificate expired", "certificate is not
// yet valid", "certificate was not issued by the consortium CA (wrong CA)", "certificate
// revoked", "revocation list expired", "revocation list not signed by the consortium CA", ...
Status VerifyCertificate(const Certificate& certificate, const Certificate& authority,
                         const VerifyOptions& options = {});

// The reason text for an OpenSSL X509_V_ERR_* code, in the words above. Shared with net,
// which sees the same codes from the TLS handshake.
std::string VerificationErrorReason(int x509_verify_error);

}  // namespace rightchain::pki
