#include "pki/certificate.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/file.h"
#include "pki/openssl_handles.h"

namespace rightchain::pki {
Result<Certificate> Certificate::FromPem(std::string_view pem) {
  if (pem.size() > internal::kMaxPemSizeBytes) return Status::LimitExceeded("certificate PEM too large");
  internal::BioPointer bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  internal::X509Pointer x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!x509) {
    internal::ClearOpenSslErrors();
    return Status::InvalidArgument("not a PEM certificate");
  }
  return NativeAccess::Wrap(std::move(x509));
}

Result<Certificate> Certificate::FromDer(ByteView der) {
  if (der.size() > internal::kMaxPemSizeBytes) return Status::LimitExceeded("certificate DER too large");
  const unsigned char* cursor = der.data();
  internal::X509Pointer x509(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (!x509 || cursor != der.data() + der.size()) {
    internal::ClearOpenSslErrors();
    return Status::InvalidArgument("not a DER certificate");
  }
  return NativeAccess::Wrap(std::move(x509));
}

Result<Certificate> Certificate::LoadFile(const std::string& path) {
  RC_ASSIGN_OR_RETURN(std::string pem, internal::ReadPemFile(path, "certificate"));
  Result<Certificate> certificate = FromPem(pem);
  if (!certificate.ok()) return certificate.status().WithContext("certificate file " + path);
  return certificate;
}

std::string Certificate::ToPem() const {
  internal::BioPointer bio(BIO_new(BIO_s_mem()));
  RC_ASSERT(PEM_write_bio_X509(bio.get(), NativeAccess::Get(*this)) == 1);
  return internal::MemoryBioContents(bio.get());
}

Bytes Certificate::ToDer() const {
  unsigned char* der = nullptr;
  int length = i2d_X509(NativeAccess::Get(*this), &der);
  RC_ASSERT(length > 0);
  Bytes bytes(der, der + length);
  OPENSSL_free(der);
  return bytes;
}

Status Certificate::SaveFile(const std::string& path) const {
  return WriteFile(path, ToPem(), 0644);
}

Fingerprint Certificate::GetFingerprint() const {
  Fingerprint fingerprint{};
  unsigned int length = 0;
  RC_ASSERT(X509_digest(NativeAccess::Get(*this), EVP_sha256(), fingerprint.data(), &length) == 1);
  RC_ASSERT(length == kFingerprintSize);
  return fingerprint;
}

std::string Certificate::FingerprintHex() const {
  return HexEncode(GetFingerprint());
}

std::string Certificate::SubjectCommonName() const {
  return internal::CommonNameOf(X509_get_subject_name(NativeAccess::Get(*this)));
}

std::string Certificate::IssuerCommonName() const {
  return internal::CommonNameOf(X509_get_issuer_name(NativeAccess::Get(*this)));
}

std::string Certificate::SerialHex() const {
  return internal::SerialToHex(X509_get0_serialNumber(NativeAccess::Get(*this)));
}

std::int64_t Certificate::NotBeforeUnixSeconds() const {
  return internal::Asn1TimeToUnixSeconds(X509_get0_notBefore(NativeAccess::Get(*this)));
}

std::int64_t Certificate::NotAfterUnixSeconds() const {
  return internal::Asn1TimeToUnixSeconds(X509_get0_notAfter(NativeAccess::Get(*this)));
}

bool Certificate::IsCertificateAuthority() const {
  // X509_check_ca also accepts old-style certificates; require basicConstraints CA:TRUE.
  return (X509_get_extension_flags(NativeAccess::Get(*this)) & EXFLAG_CA) != 0;
}

bool Certificate::AllowsTlsClientAndServer() const {
  X509* x509 = NativeAccess::Get(*this);
  constexpr std::uint32_t kBoth = XKU_SSL_SERVER | XKU_SSL_CLIENT;
  return (X509_get_extension_flags(x509) & EXFLAG_XKUSAGE) != 0 &&
         (X509_get_extended_key_usage(x509) & kBoth) == kBoth;
}

bool Certificate::AllowsTimeStamping() const {
  X509* x509 = NativeAccess::Get(*this);
  return (X509_get_extension_flags(x509) & EXFLAG_XKUSAGE) != 0 &&
         (X509_get_extended_key_usage(x509) & XKU_TIMESTAMP) != 0;
}

std::vector<std::string> Certificate::SubjectAlternativeNames() const {
  std::vector<std::string> names;
  auto* general_names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(NativeAccess::Get(*this), NID_subject_alt_name, nullptr, nullptr));
  if (general_names == nullptr) return names;
  for (int index = 0; index < sk_GENERAL_NAME_num(general_names); ++index) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(general_names, index);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* text = name->d.dNSName;
      names.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                                           static_cast<std::size_t>(ASN1_STRING_length(text))));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* address = name->d.iPAddress;
      char text[INET6_ADDRSTRLEN] = {};
      int length = ASN1_STRING_length(address);
      int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
      if (family != 0 && inet_ntop(family, ASN1_STRING_get0_data(address), text, sizeof(text)) != nullptr) {
        names.push_back("IP:" + std::string(text));
      }
    }
  }
  GENERAL_NAMES_free(general_names);
  return names;
}

}  // namespace rightchain::pki
