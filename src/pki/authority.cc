#include "pki/authority.h"

#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <limits>

#include "pki/openssl_handles.h"

namespace rightchain::pki {
namespace {

// RFC 5280 §4.1.2.2 asks for unpredictable serials; 128 random bits make collisions and
// guessing negligible.
constexpr int kSerialSizeBytes = 16;
// Tolerates clocks of consortium members running up to five minutes behind the CA's.
constexpr long kNotBeforeBackdateSeconds = 300;
// Bounds a CRL so that loading and sending it stays cheap.
constexpr std::size_t kMaxRevokedEntries = 100'000;

Status CheckProfile(const CertificateProfile& profile) {
  if (profile.common_name.empty() || profile.common_name.size() > kMaxCommonNameSize) {
    return Status::InvalidArgument("common name must be 1 to " + std::to_string(kMaxCommonNameSize) +
                                   " bytes");
  }
  if (profile.validity_days < 1 || profile.validity_days > kMaxValidityDays) {
    return Status::InvalidArgument("validity must be 1 to " + std::to_string(kMaxValidityDays) +
                                   " days, got " + std::to_string(profile.validity_days));
  }
  return Status::Ok();
}

Result<internal::Asn1IntegerPointer> RandomSerial() {
  std::uint8_t random[kSerialSizeBytes];
  BIGNUM* number = nullptr;
  do {
    if (RAND_bytes(random, sizeof(random)) != 1) return internal::OpenSslError("drawing a serial");
    BN_free(number);
    number = BN_bin2bn(random, sizeof(random), nullptr);
    if (number == nullptr) return internal::OpenSslError("drawing a serial");
  } while (BN_is_zero(number));  // serials are positive
  internal::Asn1IntegerPointer serial(BN_to_ASN1_INTEGER(number, nullptr));
  BN_free(number);
  if (!serial) return internal::OpenSslError("encoding a serial");
  return serial;
}

Status AddExtension(X509V3_CTX* context, X509* certificate, const ExtensionSpec& spec) {
  X509_EXTENSION* extension = X509V3_EXT_nconf(nullptr, context, spec.name.c_str(), spec.value.c_str());
  if (extension == nullptr) {
    return internal::OpenSslError("extension " + spec.name + "=" + spec.value).WithContext("invalid profile");
  }
  int added = X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
  if (added != 1) return internal::OpenSslError("adding extension " + spec.name);
  return Status::Ok();
}

// Builds and signs a certificate. `issuer` null means self-signed (the CA's own certificate).
Result<Certificate> BuildCertificate(X509* issuer, EVP_PKEY* signing_key, EVP_PKEY* subject_public_key,
                                     const CertificateProfile& profile) {
  RC_RETURN_IF_ERROR(CheckProfile(profile));
  internal::X509Pointer certificate(X509_new());
  if (!certificate || X509_set_version(certificate.get(), 2) != 1)
    return internal::OpenSslError("creating certificate");
  RC_ASSIGN_OR_RETURN(internal::Asn1IntegerPointer serial, RandomSerial());
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  if (X509_set_serialNumber(certificate.get(), serial.get()) != 1 ||
      X509_NAME_add_entry_by_NID(subject, NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(profile.common_name.data()),
                                 static_cast<int>(profile.common_name.size()), -1, 0) != 1 ||
      X509_set_issuer_name(certificate.get(), issuer != nullptr ? X509_get_subject_name(issuer) : subject) !=
          1 ||
      X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -kNotBeforeBackdateSeconds) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(certificate.get()), profile.validity_days, 0, nullptr) == nullptr ||
      X509_set_pubkey(certificate.get(), subject_public_key) != 1) {
    return internal::OpenSslError("filling certificate");
  }
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer != nullptr ? issuer : certificate.get(), certificate.get(), nullptr,
                 nullptr, 0);
  // The subject key identifier goes first: a self-signed certificate's authority key
  // identifier is computed from it.
  RC_RETURN_IF_ERROR(AddExtension(&context, certificate.get(), {"subjectKeyIdentifier", "hash"}));
  RC_RETURN_IF_ERROR(AddExtension(&context, certificate.get(), {"authorityKeyIdentifier", "keyid:always"}));
  for (const ExtensionSpec& spec : profile.extensions) {
    RC_RETURN_IF_ERROR(AddExtension(&context, certificate.get(), spec));
  }
  if (X509_sign(certificate.get(), signing_key, EVP_sha256()) <= 0)
    return internal::OpenSslError("signing certificate");
  return NativeAccess::Wrap(std::move(certificate));
}

struct RevokedStackFree {
  void operator()(STACK_OF(X509_REVOKED) * stack) const {
    sk_X509_REVOKED_pop_free(stack, X509_REVOKED_free);
  }
};

}  // namespace

CertificateProfile NodeCertificateProfile(const std::string& node_name, int validity_days,
                                          const std::vector<std::string>& dns_names,
                                          const std::vector<std::string>& ip_addresses) {
  std::string alternative_names = "IP:127.0.0.1,IP:::1";
  for (const std::string& name : dns_names) alternative_names += ",DNS:" + name;
  for (const std::string& address : ip_addresses) alternative_names += ",IP:" + address;
  return CertificateProfile{
      .common_name = node_name,
      .validity_days = validity_days,
      .extensions = {{"basicConstraints", "critical,CA:FALSE"},
                     {"keyUsage", "critical,digitalSignature"},
                     {"extendedKeyUsage", "serverAuth,clientAuth"},
                     {"subjectAltName", alternative_names}},
  };
}

CertificateProfile TimeStampingCertificateProfile(const std::string& name, int validity_days) {
  return CertificateProfile{
      .common_name = name,
      .validity_days = validity_days,
      .extensions = {{"basicConstraints", "critical,CA:FALSE"},
                     {"keyUsage", "critical,digitalSignature,nonRepudiation"},
                     {"extendedKeyUsage", "critical,timeStamping"}},
  };
}

Result<CertificateAuthority> CertificateAuthority::Create(const std::string& common_name, int validity_days) {
  RC_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::GenerateP256());
  CertificateProfile profile{
      .common_name = common_name,
      .validity_days = validity_days,
      .extensions = {{"basicConstraints", "critical,CA:TRUE"}, {"keyUsage", "critical,keyCertSign,cRLSign"}},
  };
  EVP_PKEY* native_key = NativeAccess::Get(key);
  RC_ASSIGN_OR_RETURN(Certificate certificate, BuildCertificate(nullptr, native_key, native_key, profile));
  return CertificateAuthority(std::move(certificate), std::move(key));
}

Result<CertificateAuthority> CertificateAuthority::FromParts(Certificate certificate, PrivateKey key) {
  if (!certificate.IsCertificateAuthority()) {
    return Status::InvalidArgument("certificate \"" + certificate.SubjectCommonName() +
                                   "\" is not a CA certificate (basicConstraints CA:TRUE missing)");
  }
  RC_RETURN_IF_ERROR(key.CheckMatches(certificate));
  return CertificateAuthority(std::move(certificate), std::move(key));
}

Result<CertificateAuthority> CertificateAuthority::LoadFiles(const std::string& certificate_path,
                                                             const std::string& key_path) {
  RC_ASSIGN_OR_RETURN(Certificate certificate, Certificate::LoadFile(certificate_path));
  RC_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::LoadFile(key_path));
  return FromParts(std::move(certificate), std::move(key));
}

Status CertificateAuthority::SaveFiles(const std::string& certificate_path,
                                       const std::string& key_path) const {
  RC_RETURN_IF_ERROR(key_.SaveFile(key_path));
  return certificate_.SaveFile(certificate_path);
}

Result<Certificate> CertificateAuthority::Issue(const PrivateKey& subject_key,
                                                const CertificateProfile& profile) const {
  return BuildCertificate(NativeAccess::Get(certificate_), NativeAccess::Get(key_),
                          NativeAccess::Get(subject_key), profile);
}

Result<IssuedCertificate> CertificateAuthority::IssueWithNewKey(const CertificateProfile& profile) const {
  RC_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::GenerateP256());
  RC_ASSIGN_OR_RETURN(Certificate certificate, Issue(key, profile));
  return IssuedCertificate{std::move(certificate), std::move(key)};
}

Result<Certificate> CertificateAuthority::IssueFromRequest(const CertificateRequest& request,
                                                           const CertificateProfile& profile) const {
  RC_RETURN_IF_ERROR(request.VerifySelfSignature());
  EVP_PKEY* public_key = X509_REQ_get0_pubkey(NativeAccess::Get(request));
  RC_ASSERT(public_key != nullptr);  // VerifySelfSignature found it
  if (EVP_PKEY_get_base_id(public_key) != EVP_PKEY_EC) {
    return Status::InvalidArgument("certificate request key is not an EC key");
  }
  return BuildCertificate(NativeAccess::Get(certificate_), NativeAccess::Get(key_), public_key, profile);
}

namespace {

Result<RevocationList> BuildRevocationList(X509* authority, EVP_PKEY* authority_key,
                                           STACK_OF(X509_REVOKED) * entries, int next_update_days,
                                           std::uint64_t crl_number) {
  if (next_update_days < 1 || next_update_days > kMaxValidityDays) {
    return Status::InvalidArgument("CRL next update must be 1 to " + std::to_string(kMaxValidityDays) +
                                   " days");
  }
  if (static_cast<std::size_t>(sk_X509_REVOKED_num(entries)) > kMaxRevokedEntries) {
    return Status::LimitExceeded("a CRL holds at most " + std::to_string(kMaxRevokedEntries) + " entries");
  }
  internal::X509CrlPointer crl(X509_CRL_new());
  ASN1_TIME* last_update = X509_gmtime_adj(nullptr, 0);
  ASN1_TIME* next_update = X509_time_adj_ex(nullptr, next_update_days, 0, nullptr);
  bool filled = crl && last_update != nullptr && next_update != nullptr &&
                X509_CRL_set_version(crl.get(), 1) == 1 &&
                X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(authority)) == 1 &&
                X509_CRL_set1_lastUpdate(crl.get(), last_update) == 1 &&
                X509_CRL_set1_nextUpdate(crl.get(), next_update) == 1;
  ASN1_TIME_free(last_update);
  ASN1_TIME_free(next_update);
  if (!filled) return internal::OpenSslError("creating CRL");
  for (int index = 0; index < sk_X509_REVOKED_num(entries); ++index) {
    X509_REVOKED* copy = X509_REVOKED_dup(sk_X509_REVOKED_value(entries, index));
    if (copy == nullptr || X509_CRL_add0_revoked(crl.get(), copy) != 1) {
      X509_REVOKED_free(copy);
      return internal::OpenSslError("adding CRL entry");
    }
  }
  X509_CRL_sort(crl.get());
  internal::Asn1IntegerPointer number(ASN1_INTEGER_new());
  if (!number || ASN1_INTEGER_set_uint64(number.get(), crl_number) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1) {
    return internal::OpenSslError("adding CRL number");
  }
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, authority, nullptr, nullptr, crl.get(), 0);
  X509_EXTENSION* key_identifier =
      X509V3_EXT_nconf(nullptr, &context, "authorityKeyIdentifier", "keyid:always");
  if (key_identifier == nullptr || X509_CRL_add_ext(crl.get(), key_identifier, -1) != 1) {
    X509_EXTENSION_free(key_identifier);
    return internal::OpenSslError("adding CRL authority key identifier");
  }
  X509_EXTENSION_free(key_identifier);
  if (X509_CRL_sign(crl.get(), authority_key, EVP_sha256()) <= 0)
    return internal::OpenSslError("signing CRL");
  return NativeAccess::Wrap(std::move(crl));
}

Status AppendRevoked(STACK_OF(X509_REVOKED) * entries, const std::string& serial_hex) {
  RC_ASSIGN_OR_RETURN(internal::Asn1IntegerPointer serial, internal::SerialFromHex(serial_hex));
  for (int index = 0; index < sk_X509_REVOKED_num(entries); ++index) {
    if (ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(entries, index)),
                         serial.get()) == 0) {
      return Status::Ok();  // already listed
    }
  }
  X509_REVOKED* entry = X509_REVOKED_new();
  ASN1_TIME* now = X509_gmtime_adj(nullptr, 0);
  bool filled = entry != nullptr && now != nullptr &&
                X509_REVOKED_set_serialNumber(entry, serial.get()) == 1 &&
                X509_REVOKED_set_revocationDate(entry, now) == 1 && sk_X509_REVOKED_push(entries, entry) > 0;
  ASN1_TIME_free(now);
  if (!filled) {
    X509_REVOKED_free(entry);
    return internal::OpenSslError("creating CRL entry");
  }
  return Status::Ok();
}

}  // namespace

Result<RevocationList> CertificateAuthority::IssueRevocationList(
    const std::vector<std::string>& revoked_serials_hex, int next_update_days,
    std::uint64_t crl_number) const {
  if (revoked_serials_hex.size() > kMaxRevokedEntries) {
    return Status::LimitExceeded("a CRL holds at most " + std::to_string(kMaxRevokedEntries) + " entries");
  }
  std::unique_ptr<STACK_OF(X509_REVOKED), RevokedStackFree> entries(sk_X509_REVOKED_new_null());
  RC_ASSERT(entries != nullptr);
  for (const std::string& serial_hex : revoked_serials_hex) {
    RC_RETURN_IF_ERROR(AppendRevoked(entries.get(), serial_hex));
  }
  return BuildRevocationList(NativeAccess::Get(certificate_), NativeAccess::Get(key_), entries.get(),
                             next_update_days, crl_number);
}

Result<RevocationList> CertificateAuthority::Revoke(const RevocationList& existing,
                                                    const std::string& serial_hex,
                                                    int next_update_days) const {
  X509_CRL* existing_crl = NativeAccess::Get(existing);
  if (X509_CRL_verify(existing_crl, X509_get0_pubkey(NativeAccess::Get(certificate_))) != 1) {
    internal::ClearOpenSslErrors();
    return Status::VerificationFailed("the existing revocation list is not signed by this CA");
  }
  std::unique_ptr<STACK_OF(X509_REVOKED), RevokedStackFree> entries(sk_X509_REVOKED_new_null());
  RC_ASSERT(entries != nullptr);
  STACK_OF(X509_REVOKED)* existing_entries = X509_CRL_get_REVOKED(existing_crl);
  for (int index = 0; index < sk_X509_REVOKED_num(existing_entries); ++index) {
    X509_REVOKED* copy = X509_REVOKED_dup(sk_X509_REVOKED_value(existing_entries, index));
    if (copy == nullptr || sk_X509_REVOKED_push(entries.get(), copy) <= 0) {
      X509_REVOKED_free(copy);
      return internal::OpenSslError("copying CRL entry");
    }
  }
  RC_RETURN_IF_ERROR(AppendRevoked(entries.get(), serial_hex));
  // The next number: nodes take a list only when its number is higher than the one in force.
  const std::uint64_t number = existing.Number().value_or(0);
  if (number == std::numeric_limits<std::uint64_t>::max()) {
    return Status::LimitExceeded("the existing revocation list has the highest CRL number");
  }
  return BuildRevocationList(NativeAccess::Get(certificate_), NativeAccess::Get(key_), entries.get(),
                             next_update_days, number + 1);
}

}  // namespace rightchain::pki
