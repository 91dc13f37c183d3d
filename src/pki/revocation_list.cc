#include "pki/revocation_list.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/file.h"
#include "pki/openssl_handles.h"

namespace rightchain::pki {
Result<RevocationList> RevocationList::FromPem(std::string_view pem) {
  if (pem.size() > internal::kMaxPemSizeBytes) return Status::LimitExceeded("CRL PEM too large");
  internal::BioPointer bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  internal::X509CrlPointer crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (!crl) {
    internal::ClearOpenSslErrors();
    return Status::InvalidArgument("not a PEM certificate revocation list");
  }
  return NativeAccess::Wrap(std::move(crl));
}

Result<RevocationList> RevocationList::LoadFile(const std::string& path) {
  RC_ASSIGN_OR_RETURN(std::string pem, internal::ReadPemFile(path, "revocation list"));
  Result<RevocationList> list = FromPem(pem);
  if (!list.ok()) return list.status().WithContext("revocation list file " + path);
  return list;
}

std::string RevocationList::ToPem() const {
  internal::BioPointer bio(BIO_new(BIO_s_mem()));
  RC_ASSERT(PEM_write_bio_X509_CRL(bio.get(), NativeAccess::Get(*this)) == 1);
  return internal::MemoryBioContents(bio.get());
}

Status RevocationList::SaveFile(const std::string& path) const {
  return WriteFile(path, ToPem(), 0644);
}

std::vector<std::string> RevocationList::RevokedSerialsHex() const {
  std::vector<std::string> serials;
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(NativeAccess::Get(*this));
  for (int index = 0; index < sk_X509_REVOKED_num(revoked); ++index) {
    serials.push_back(
        internal::SerialToHex(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, index))));
  }
  return serials;
}

bool RevocationList::IsRevoked(const Certificate& certificate) const {
  X509_REVOKED* entry = nullptr;
  return X509_CRL_get0_by_serial(NativeAccess::Get(*this), &entry,
                                 X509_get0_serialNumber(NativeAccess::Get(certificate))) == 1;
}

std::optional<std::uint64_t> RevocationList::Number() const {
  auto* number = static_cast<ASN1_INTEGER*>(
      X509_CRL_get_ext_d2i(NativeAccess::Get(*this), NID_crl_number, nullptr, nullptr));
  std::optional<std::uint64_t> result;
  std::uint64_t value = 0;
  if (number != nullptr && ASN1_INTEGER_get_uint64(&value, number) == 1) result = value;
  ASN1_INTEGER_free(number);
  internal::ClearOpenSslErrors();
  return result;
}

Status RevocationList::CheckIssuedBy(const Certificate& authority) const {
  if (X509_CRL_verify(NativeAccess::Get(*this), X509_get0_pubkey(NativeAccess::Get(authority))) != 1) {
    internal::ClearOpenSslErrors();
    return Status::VerificationFailed("revocation list is not signed by the configured CA");
  }
  return Status::Ok();
}

Status RevocationList::CheckHasNumber() const {
  if (!Number().has_value()) {
    return Status::InvalidArgument(
        "revocation list has no CRL number (cRLNumber), so it cannot be told "
        "from an older list");
  }
  return Status::Ok();
}

Status RevocationList::CheckSupersedes(const RevocationList& in_force) const {
  RC_RETURN_IF_ERROR(CheckHasNumber());
  const std::optional<std::uint64_t> number = Number();
  const std::optional<std::uint64_t> current = in_force.Number();
  if (current.has_value() && *number <= *current) {
    return Status::VerificationFailed("revocation list has CRL number " + std::to_string(*number) +
                                      ", not higher than " + std::to_string(*current) +
                                      " of the list in force: an older list could undo revocations");
  }
  return Status::Ok();
}

bool RevocationList::SameAs(const RevocationList& other) const {
  return ToPem() == other.ToPem();
}

std::int64_t RevocationList::NextUpdateUnixSeconds() const {
  return internal::Asn1TimeToUnixSeconds(X509_CRL_get0_nextUpdate(NativeAccess::Get(*this)));
}

}  // namespace rightchain::pki
