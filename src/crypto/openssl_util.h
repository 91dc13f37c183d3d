// Internal to the crypto module (never included by other modules): owning pointers for OpenSSL
// objects and the conversion of OpenSSL's error queue into a Status.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::crypto::internal {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* pointer) const { Free(pointer); }
};
template <typename T, void (*Free)(T*)>
using OpenSslPointer = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

using EvpPkeyPointer = OpenSslPointer<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyContextPointer = OpenSslPointer<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpMdContextPointer = OpenSslPointer<EVP_MD_CTX, EVP_MD_CTX_free>;
using EvpCipherContextPointer = OpenSslPointer<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using BigNumberPointer = OpenSslPointer<BIGNUM, BN_free>;
using SecretBigNumberPointer = OpenSslPointer<BIGNUM, BN_clear_free>;  // wiped when freed
using EcdsaSignaturePointer = OpenSslPointer<ECDSA_SIG, ECDSA_SIG_free>;
using EcGroupPointer = OpenSslPointer<EC_GROUP, EC_GROUP_free>;
using EcPointPointer = OpenSslPointer<EC_POINT, EC_POINT_free>;
using ParamBuilderPointer = OpenSslPointer<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamsPointer = OpenSslPointer<OSSL_PARAM, OSSL_PARAM_free>;
using BioPointer = OpenSslPointer<BIO, BIO_free_all>;

// A Status with `code`, `what` and the first reason in OpenSSL's (thread-local) error queue.
// Empties the queue, so that a stale error never leaks into a later, unrelated call.
Status OpenSslFailure(ErrorCode code, std::string_view what);

// OpenSSL treats a null pointer with length 0 inconsistently: hand it a valid pointer.
inline const unsigned char* DataOrEmpty(ByteView bytes) {
  static const unsigned char kEmpty = 0;
  return bytes.empty() ? &kEmpty : bytes.data();
}

// The contents of a memory BIO as text.
std::string BioContents(BIO* bio);

}  // namespace rightchain::crypto::internal
