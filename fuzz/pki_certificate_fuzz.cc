// Parses arbitrary bytes as a DER certificate, a PEM certificate and a PEM CRL, and reads every
// field a peer's certificate is inspected for (transport id, names, serial, validity).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pki/certificate.h"
#include "pki/revocation_list.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rightchain::ByteView bytes(data, size);
  auto inspect = [](const rightchain::pki::Certificate& certificate) {
    RC_ASSERT(certificate.FingerprintHex().size() == 64);
    (void)certificate.SubjectCommonName();
    (void)certificate.IssuerCommonName();
    (void)certificate.SerialHex();
    (void)certificate.NotAfterUnixSeconds();
    (void)certificate.IsCertificateAuthority();
    (void)certificate.SubjectAlternativeNames();
    auto again = rightchain::pki::Certificate::FromDer(certificate.ToDer());
    RC_ASSERT(again.ok());
  };
  auto der = rightchain::pki::Certificate::FromDer(bytes);
  if (der.ok()) inspect(*der);
  std::string_view text = rightchain::AsText(bytes);
  auto pem = rightchain::pki::Certificate::FromPem(text);
  if (pem.ok()) inspect(*pem);
  auto list = rightchain::pki::RevocationList::FromPem(text);
  if (list.ok()) {
    (void)list->RevokedSerialsHex();
    (void)list->Number();
  }
  return 0;
}
