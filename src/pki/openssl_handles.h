// Internal to pki and to the few translation units that must hand pki objects to OpenSSL
// (net's TLS setup). Not a public header: it pulls in OpenSSL, which public headers keep out.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "pki/certificate.h"
#include "pki/certificate_request.h"
#include "pki/private_key.h"
#include "pki/revocation_list.h"

namespace rightchain::pki {
namespace internal {

struct X509Free {
  void operator()(X509* pointer) const { X509_free(pointer); }
};
struct EvpPkeyFree {
  void operator()(EVP_PKEY* pointer) const { EVP_PKEY_free(pointer); }
};
struct X509CrlFree {
  void operator()(X509_CRL* pointer) const { X509_CRL_free(pointer); }
};
struct X509ReqFree {
  void operator()(X509_REQ* pointer) const { X509_REQ_free(pointer); }
};
struct Asn1IntegerFree {
  void operator()(ASN1_INTEGER* pointer) const { ASN1_INTEGER_free(pointer); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPointer = std::unique_ptr<BIO, BioFree>;
using X509Pointer = std::unique_ptr<X509, X509Free>;
using EvpPkeyPointer = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using X509CrlPointer = std::unique_ptr<X509_CRL, X509CrlFree>;
using X509ReqPointer = std::unique_ptr<X509_REQ, X509ReqFree>;
using Asn1IntegerPointer = std::unique_ptr<ASN1_INTEGER, Asn1IntegerFree>;

}  // namespace internal

// The OpenSSL objects behind the pki value types. They are immutable once built, so copies
// of a value type share one object.
struct Certificate::Native {
  internal::X509Pointer x509;
};
struct PrivateKey::Native {
  internal::EvpPkeyPointer key;
};
struct RevocationList::Native {
  internal::X509CrlPointer crl;
};
struct CertificateRequest::Native {
  internal::X509ReqPointer request;
};

struct NativeAccess {
  static X509* Get(const Certificate& value) { return value.native_->x509.get(); }
  static EVP_PKEY* Get(const PrivateKey& value) { return value.native_->key.get(); }
  static X509_CRL* Get(const RevocationList& value) { return value.native_->crl.get(); }
  static X509_REQ* Get(const CertificateRequest& value) { return value.native_->request.get(); }

  static Certificate Wrap(internal::X509Pointer x509) {
    return Certificate(std::make_shared<Certificate::Native>(Certificate::Native{std::move(x509)}));
  }
  static PrivateKey Wrap(internal::EvpPkeyPointer key) {
    return PrivateKey(std::make_shared<PrivateKey::Native>(PrivateKey::Native{std::move(key)}));
  }
  static RevocationList Wrap(internal::X509CrlPointer crl) {
    return RevocationList(std::make_shared<RevocationList::Native>(RevocationList::Native{std::move(crl)}));
  }
  static CertificateRequest Wrap(internal::X509ReqPointer request) {
    return CertificateRequest(
        std::make_shared<CertificateRequest::Native>(CertificateRequest::Native{std::move(request)}));
  }
};

namespace internal {

// "what: <OpenSSL's reason>" as kCryptoError; clears OpenSSL's thread-local error queue.
Status OpenSslError(std::string_view what);
void ClearOpenSslErrors();

// Upper bound on any PEM object read from a file or a caller: certificates, keys and CRLs
// of a consortium are a few KiB; a CRL of 100k revoked entries stays under 8 MiB.
inline constexpr std::size_t kMaxPemSizeBytes = 8 * 1024 * 1024;

// Reads a PEM file of at most kMaxPemSizeBytes; errors name `what` and the path.
Result<std::string> ReadPemFile(const std::string& path, std::string_view what);
// The bytes a memory BIO holds (a PEM just written to it).
std::string MemoryBioContents(BIO* bio);

// Serial numbers as lower-case hex of their big-endian magnitude, no leading zeros.
std::string SerialToHex(const ASN1_INTEGER* serial);
Result<Asn1IntegerPointer> SerialFromHex(std::string_view hex);

std::int64_t Asn1TimeToUnixSeconds(const ASN1_TIME* time);
std::string CommonNameOf(const X509_NAME* name);

}  // namespace internal
}  // namespace rightchain::pki
