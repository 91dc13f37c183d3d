#include "pki/private_key.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/pem.h>

#include "base/file.h"
#include "pki/openssl_handles.h"

namespace rightchain::pki {
Result<PrivateKey> PrivateKey::GenerateP256() {
  internal::EvpPkeyPointer key(EVP_EC_gen("P-256"));
  if (!key) return internal::OpenSslError("generating P-256 key");
  return NativeAccess::Wrap(std::move(key));
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  if (pem.size() > internal::kMaxPemSizeBytes) return Status::LimitExceeded("private key PEM too large");
  internal::BioPointer bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  // An empty passphrase callback result makes an encrypted key fail instead of prompting.
  auto no_passphrase = [](char*, int, int, void*) -> int { return 0; };
  internal::EvpPkeyPointer key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    internal::ClearOpenSslErrors();
    return Status::InvalidArgument("not an unencrypted PEM private key");
  }
  return NativeAccess::Wrap(std::move(key));
}

Result<PrivateKey> PrivateKey::LoadFile(const std::string& path) {
  RC_ASSIGN_OR_RETURN(std::string pem, internal::ReadPemFile(path, "private key"));
  Result<PrivateKey> key = FromPem(pem);
  if (!key.ok()) return key.status().WithContext("private key file " + path);
  return key;
}

std::string PrivateKey::ToPem() const {
  internal::BioPointer bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PKCS8PrivateKey without a cipher writes unencrypted PKCS#8 ("PRIVATE KEY").
  RC_ASSERT(PEM_write_bio_PKCS8PrivateKey(bio.get(), NativeAccess::Get(*this), nullptr, nullptr, 0, nullptr,
                                          nullptr) == 1);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(length));
  OPENSSL_cleanse(data, static_cast<std::size_t>(length));
  return pem;
}

Status PrivateKey::SaveFile(const std::string& path) const {
  std::string pem = ToPem();
  Status status = WriteFile(path, pem, 0600);
  OPENSSL_cleanse(pem.data(), pem.size());
  return status;
}

Status PrivateKey::CheckMatches(const Certificate& certificate) const {
  EVP_PKEY* public_key = X509_get0_pubkey(NativeAccess::Get(certificate));
  if (public_key == nullptr || EVP_PKEY_eq(public_key, NativeAccess::Get(*this)) != 1) {
    internal::ClearOpenSslErrors();
    return Status::InvalidArgument("private key does not match certificate \"" +
                                   certificate.SubjectCommonName() + "\"");
  }
  return Status::Ok();
}

}  // namespace rightchain::pki
