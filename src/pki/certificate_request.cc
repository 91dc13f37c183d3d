#include "pki/certificate_request.h"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "pki/openssl_handles.h"

namespace rightchain::pki {
Result<CertificateRequest> CertificateRequest::Create(const PrivateKey& key, std::string_view common_name) {
  if (common_name.empty() || common_name.size() > 64) {
    return Status::InvalidArgument("common name must be 1 to 64 bytes");
  }
  internal::X509ReqPointer request(X509_REQ_new());
  if (!request || X509_REQ_set_version(request.get(), 0) != 1) return internal::OpenSslError("creating CSR");
  X509_NAME* subject = X509_REQ_get_subject_name(request.get());
  if (X509_NAME_add_entry_by_NID(subject, NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return internal::OpenSslError("setting CSR subject");
  }
  EVP_PKEY* native_key = NativeAccess::Get(key);
  if (X509_REQ_set_pubkey(request.get(), native_key) != 1 ||
      X509_REQ_sign(request.get(), native_key, EVP_sha256()) <= 0) {
    return internal::OpenSslError("signing CSR");
  }
  return NativeAccess::Wrap(std::move(request));
}

Result<CertificateRequest> CertificateRequest::FromPem(std::string_view pem) {
  if (pem.size() > internal::kMaxPemSizeBytes) return Status::LimitExceeded("CSR PEM too large");
  internal::BioPointer bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  internal::X509ReqPointer request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!request) {
    internal::ClearOpenSslErrors();
    return Status::InvalidArgument("not a PEM certificate request");
  }
  return NativeAccess::Wrap(std::move(request));
}

std::string CertificateRequest::ToPem() const {
  internal::BioPointer bio(BIO_new(BIO_s_mem()));
  RC_ASSERT(PEM_write_bio_X509_REQ(bio.get(), NativeAccess::Get(*this)) == 1);
  return internal::MemoryBioContents(bio.get());
}

std::string CertificateRequest::SubjectCommonName() const {
  return internal::CommonNameOf(X509_REQ_get_subject_name(NativeAccess::Get(*this)));
}

Status CertificateRequest::VerifySelfSignature() const {
  X509_REQ* request = NativeAccess::Get(*this);
  EVP_PKEY* public_key = X509_REQ_get0_pubkey(request);
  if (public_key == nullptr || X509_REQ_verify(request, public_key) != 1) {
    internal::ClearOpenSslErrors();
    return Status::VerificationFailed("certificate request is not signed by the key it carries");
  }
  return Status::Ok();
}

}  // namespace rightchain::pki
