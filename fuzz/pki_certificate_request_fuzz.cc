// A certificate request (PKCS#10) as the CA reads it from a joining node (`rightchain ca issue
// --csr`, pki::CertificateRequest::FromPem, then CertificateAuthority::IssueFromRequest): arbitrary
// text is refused or parsed; a parsed request's name and self-signature can be read, it writes
// back as a request that parses, and the CA certifies its key only if the self-signature holds
// and the key is an EC key, with the names the CA chooses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/assert.h"
#include "pki/authority.h"
#include "pki/certificate_request.h"

using namespace rightchain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const pki::CertificateAuthority authority = [] {
    Result<pki::CertificateAuthority> created = pki::CertificateAuthority::Create("fuzz-ca", 30);
    RC_ASSERT(created.ok());
    return *created;
  }();
  static const pki::CertificateProfile profile = pki::NodeCertificateProfile("node-9", 30);

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<pki::CertificateRequest> request = pki::CertificateRequest::FromPem(text);
  if (!request.ok()) return 0;
  (void)request->SubjectCommonName();
  const bool self_signed = request->VerifySelfSignature().ok();
  Result<pki::CertificateRequest> again = pki::CertificateRequest::FromPem(request->ToPem());
  RC_ASSERT(again.ok());
  RC_ASSERT(again->VerifySelfSignature().ok() == self_signed);

  Result<pki::Certificate> issued = authority.IssueFromRequest(*request, profile);
  if (!self_signed) RC_ASSERT(!issued.ok());
  if (issued.ok()) {
    RC_ASSERT(issued->SubjectCommonName() == "node-9");
    RC_ASSERT(issued->IssuerCommonName() == "fuzz-ca");
  }
  return 0;
}
