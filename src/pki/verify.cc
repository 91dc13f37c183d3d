#include "pki/verify.h"

#include <openssl/x509_vfy.h>

#include "pki/openssl_handles.h"

namespace rightchain::pki {
namespace {

struct StoreFree {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
struct StoreContextFree {
  void operator()(X509_STORE_CTX* context) const { X509_STORE_CTX_free(context); }
};

}  // namespace

std::string VerificationErrorReason(int x509_verify_error) {
  switch (x509_verify_error) {
    case X509_V_OK: return "ok";
    case X509_V_ERR_CERT_HAS_EXPIRED: return "certificate expired";
    case X509_V_ERR_CERT_NOT_YET_VALID: return "certificate is not yet valid";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return "certificate was not issued by the consortium CA (wrong CA)";
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      return "certificate signature does not verify against the consortium CA";
    case X509_V_ERR_CERT_REVOKED: return "certificate revoked";
    case X509_V_ERR_UNABLE_TO_GET_CRL: return "no revocation list from the consortium CA is loaded";
    case X509_V_ERR_CRL_HAS_EXPIRED: return "revocation list expired (past its next update)";
    case X509_V_ERR_CRL_NOT_YET_VALID: return "revocation list is not yet valid";
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE: return "revocation list not signed by the consortium CA";
    case X509_V_ERR_INVALID_PURPOSE: return "certificate is not for this purpose (extended key usage)";
    case X509_V_ERR_INVALID_CA: return "issuer is not a CA certificate";
    default: return std::string("certificate rejected: ") + X509_verify_cert_error_string(x509_verify_error);
  }
}

Status VerifyCertificate(const Certificate& certificate, const Certificate& authority,
                         const VerifyOptions& options) {
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, StoreContextFree> context(X509_STORE_CTX_new());
  if (!store || !context || X509_STORE_add_cert(store.get(), NativeAccess::Get(authority)) != 1) {
    return internal::OpenSslError("building certificate store");
  }
  unsigned long flags = 0;
  if (options.revocation_list != nullptr) {
    if (X509_STORE_add_crl(store.get(), NativeAccess::Get(*options.revocation_list)) != 1) {
      return internal::OpenSslError("adding revocation list");
    }
    flags |= X509_V_FLAG_CRL_CHECK;
  }
  if (X509_STORE_CTX_init(context.get(), store.get(), NativeAccess::Get(certificate), nullptr) != 1) {
    return internal::OpenSslError("starting verification");
  }
  X509_VERIFY_PARAM* parameters = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_flags(parameters, flags);
  if (options.at_unix_seconds.has_value()) {
    X509_VERIFY_PARAM_set_time(parameters, static_cast<time_t>(*options.at_unix_seconds));
  }
  int verified = X509_verify_cert(context.get());
  internal::ClearOpenSslErrors();
  if (verified == 1) return Status::Ok();
  int error = X509_STORE_CTX_get_error(context.get());
  return Status::VerificationFailed(VerificationErrorReason(error) + " (subject \"" +
                                    certificate.SubjectCommonName() + "\", issuer \"" +
                                    certificate.IssuerCommonName() + "\")");
}

}  // namespace rightchain::pki
