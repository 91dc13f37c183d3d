#include "crypto/private_key.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <climits>
#include <cstring>

#include "crypto/key_internal.h"

namespace rightchain::crypto {

using internal::EvpMdContextPointer;
using internal::EvpPkeyContextPointer;
using internal::EvpPkeyPointer;
using internal::KeyAccess;
using internal::OpenSslFailure;

namespace {

// Passphrases longer than this are surely a mistake (a file's contents passed by accident).
constexpr std::size_t kPassphraseMaxSize = 1024;
// PBKDF2-HMAC-SHA256 work factor for exported keys (OWASP's 2023 recommendation). OpenSSL's default
// of 2048 is far too cheap against offline guessing; loading a key costs a fraction of a second.
constexpr int kPbkdf2Iterations = 600'000;
constexpr int kPbkdf2SaltSizeBytes = 16;  // OpenSSL draws it at random

using Pkcs8InfoPointer = internal::OpenSslPointer<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>;
using X509SignaturePointer = internal::OpenSslPointer<X509_SIG, X509_SIG_free>;

struct PassphraseSource {
  std::string_view passphrase;
};

// OpenSSL asks for the passphrase through this callback (never from the terminal).
int ProvidePassphrase(char* buffer, int buffer_size, int /*writing*/, void* user_data) {
  const auto* source = static_cast<const PassphraseSource*>(user_data);
  if (buffer_size < 0 || source->passphrase.size() > static_cast<std::size_t>(buffer_size)) return -1;
  std::memcpy(buffer, source->passphrase.data(), source->passphrase.size());
  return static_cast<int>(source->passphrase.size());
}

// Checks an imported key pair (SM2: d in [1, n-2] and Q = dG) before it is trusted to sign.
Status CheckKeyPair(SignatureScheme scheme, EVP_PKEY* key) {
  if (scheme != SignatureScheme::kSm2) return Status::Ok();
  EvpPkeyContextPointer check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (check == nullptr || EVP_PKEY_check(check.get()) != 1) {
    return OpenSslFailure(ErrorCode::kInvalidArgument, "SM2 key pair fails validation");
  }
  return Status::Ok();
}

Result<EvpPkeyPointer> Sm2KeyFromScalar(ByteView secret) {
  // SM2 signing needs (1 + d) invertible, hence d ≤ n - 2 (GB/T 32918.1 §6.1).
  if (!internal::IsSm2ScalarInRange(secret))
    return Status::InvalidArgument("SM2 private scalar outside [1, n-2]");
  internal::EcGroupPointer group(EC_GROUP_new_by_curve_name(NID_sm2));
  internal::SecretBigNumberPointer scalar(BN_secure_new());
  internal::EcPointPointer point(group == nullptr ? nullptr : EC_POINT_new(group.get()));
  if (group == nullptr || scalar == nullptr || point == nullptr ||
      BN_bin2bn(secret.data(), static_cast<int>(secret.size()), scalar.get()) == nullptr) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot allocate SM2 key");
  }
  internal::BigNumberPointer n_minus_one(BN_dup(EC_GROUP_get0_order(group.get())));
  if (n_minus_one == nullptr || BN_sub_word(n_minus_one.get(), 1) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot compute n - 1");
  }
  if (BN_cmp(scalar.get(), n_minus_one.get()) >= 0)
    return Status::InvalidArgument("SM2 private scalar outside [1, n-2]");
  std::array<std::uint8_t, kSm2PublicKeySize> public_point{};
  if (EC_POINT_mul(group.get(), point.get(), scalar.get(), nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, public_point.data(),
                         public_point.size(), nullptr) != public_point.size()) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot compute SM2 public key");
  }
  internal::ParamBuilderPointer builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, public_point.data(),
                                       public_point.size()) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot build SM2 key parameters");
  }
  // A secure BIGNUM makes the builder place the scalar in OpenSSL's secure heap, wiped when freed.
  internal::ParamsPointer params(OSSL_PARAM_BLD_to_param(builder.get()));
  EvpPkeyContextPointer context(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || context == nullptr || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot create SM2 key");
  }
  return EvpPkeyPointer(key);
}

}  // namespace

PrivateKey::PrivateKey(std::unique_ptr<State> state, PublicKey public_key)
    : state_(std::move(state)), public_key_(std::move(public_key)) {
  RC_ASSERT(state_ != nullptr && state_->key != nullptr);
}
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;

Result<PrivateKey> PrivateKey::Generate(SignatureScheme scheme) {
  const char* type = nullptr;
  switch (scheme) {
    case SignatureScheme::kEd25519: type = "ED25519"; break;
    case SignatureScheme::kSm2: type = "SM2"; break;
  }
  if (type == nullptr) return Status::InvalidArgument("unknown signature scheme");
  EvpPkeyContextPointer context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (context == nullptr || EVP_PKEY_keygen_init(context.get()) != 1 ||
      EVP_PKEY_keygen(context.get(), &key) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, std::string("cannot generate ") + type + " key");
  }
  return KeyAccess::MakePrivateKey(scheme, EvpPkeyPointer(key));
}

Result<PrivateKey> PrivateKey::FromRaw(SignatureScheme scheme, ByteView secret) {
  if (secret.size() != kRawPrivateKeySize) return Status::InvalidArgument("raw private key must be 32 bytes");
  switch (scheme) {
    case SignatureScheme::kEd25519: {
      EvpPkeyPointer key(
          EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, secret.data(), secret.size()));
      if (key == nullptr) return OpenSslFailure(ErrorCode::kCryptoError, "cannot create Ed25519 key");
      return KeyAccess::MakePrivateKey(scheme, std::move(key));
    }
    case SignatureScheme::kSm2: {
      RC_ASSIGN_OR_RETURN(EvpPkeyPointer key, Sm2KeyFromScalar(secret));
      return KeyAccess::MakePrivateKey(scheme, std::move(key));
    }
  }
  return Status::InvalidArgument("unknown signature scheme");
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem, std::string_view passphrase) {
  if (pem.size() > internal::kPemMaxSizeBytes) return Status::InvalidArgument("private key PEM too large");
  if (passphrase.size() > kPassphraseMaxSize) return Status::InvalidArgument("passphrase too long");
  const bool encrypted = internal::PemHasLabel(pem, "ENCRYPTED PRIVATE KEY");
  if (!encrypted && !internal::PemHasLabel(pem, "PRIVATE KEY")) {
    return Status::InvalidArgument("not a PKCS#8 PEM (\"ENCRYPTED PRIVATE KEY\" or \"PRIVATE KEY\")");
  }
  if (encrypted && passphrase.empty())
    return Status::InvalidArgument("the private key is encrypted: passphrase needed");
  internal::BioPointer bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return OpenSslFailure(ErrorCode::kCryptoError, "cannot read PEM");
  PassphraseSource source{passphrase};
  EvpPkeyPointer key(
      PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, ProvidePassphrase, &source, nullptr, nullptr));
  if (key == nullptr) {
    return OpenSslFailure(ErrorCode::kInvalidArgument,
                          encrypted ? "cannot decrypt private key (wrong passphrase or malformed PEM)"
                                    : "malformed private key PEM");
  }
  RC_ASSIGN_OR_RETURN(const SignatureScheme scheme, internal::SchemeOfKey(key.get()));
  RC_RETURN_IF_ERROR(CheckKeyPair(scheme, key.get()));
  return KeyAccess::MakePrivateKey(scheme, std::move(key));
}

Result<std::string> PrivateKey::ToPem(std::string_view passphrase) const {
  if (passphrase.empty())
    return Status::InvalidArgument("a private key is only exported encrypted: passphrase needed");
  if (passphrase.size() > kPassphraseMaxSize) return Status::InvalidArgument("passphrase too long");
  // PKCS#8 EncryptedPrivateKeyInfo with PBES2: PBKDF2-HMAC-SHA256 (random salt), AES-256-CBC.
  // OpenSSL wipes the plaintext PrivateKeyInfo when it is freed.
  const Pkcs8InfoPointer plain(EVP_PKEY2PKCS8(state_->key.get()));
  if (plain == nullptr) return OpenSslFailure(ErrorCode::kCryptoError, "cannot encode private key");
  const X509SignaturePointer encrypted(
      PKCS8_encrypt_ex(-1, EVP_aes_256_cbc(), passphrase.data(), static_cast<int>(passphrase.size()), nullptr,
                       kPbkdf2SaltSizeBytes, kPbkdf2Iterations, plain.get(), nullptr, nullptr));
  internal::BioPointer bio(BIO_new(BIO_s_mem()));
  if (encrypted == nullptr || bio == nullptr || PEM_write_bio_PKCS8(bio.get(), encrypted.get()) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "cannot write private key PEM");
  }
  return internal::BioContents(bio.get());
}

Result<Signature> PrivateKey::Sign(ByteView message) const {
  RC_RETURN_IF_ERROR(CheckSignableObject(message));
  return SignBytes(message);
}

Result<Signature> PrivateKey::SignNote(std::string_view text) const {
  RC_RETURN_IF_ERROR(CheckSignableNote(text));
  return SignBytes(AsBytes(text));
}

Result<Signature> PrivateKey::SignBytes(ByteView message) const {
  EvpMdContextPointer context(EVP_MD_CTX_new());
  if (context == nullptr) return OpenSslFailure(ErrorCode::kCryptoError, "out of memory");
  EVP_PKEY* key = state_->key.get();
  switch (scheme()) {
    case SignatureScheme::kEd25519: {
      Signature signature;
      std::size_t size = signature.size();
      if (EVP_DigestSignInit_ex(context.get(), nullptr, nullptr, nullptr, nullptr, key, nullptr) != 1 ||
          EVP_DigestSign(context.get(), signature.data(), &size, internal::DataOrEmpty(message),
                         message.size()) != 1) {
        return OpenSslFailure(ErrorCode::kCryptoError, "Ed25519 signing failed");
      }
      RC_ASSERT(size == kSignatureSize);
      return signature;
    }
    case SignatureScheme::kSm2: {
      EVP_PKEY_CTX* operation = nullptr;  // owned by `context`
      if (EVP_DigestSignInit_ex(context.get(), &operation, "SM3", nullptr, nullptr, key, nullptr) != 1) {
        return OpenSslFailure(ErrorCode::kCryptoError, "cannot start SM2 signing");
      }
      RC_RETURN_IF_ERROR(internal::SetSm2DistinguishingId(operation));
      std::array<std::uint8_t, internal::kSm2DerSignatureMaxSize> der;
      std::size_t der_size = der.size();
      if (EVP_DigestSign(context.get(), der.data(), &der_size, internal::DataOrEmpty(message),
                         message.size()) != 1) {
        return OpenSslFailure(ErrorCode::kCryptoError, "SM2 signing failed");
      }
      Result<Signature> signature = internal::Sm2SignatureFromDer(ByteView(der.data(), der_size));
      // Our own signer produced it: a malformed result is a bug.
      RC_ASSERT_MSG(signature.ok(), signature.status().ToString());
      return signature;
    }
  }
  RC_UNREACHABLE();
}

namespace internal {
Result<Signature> SignUntagged(const PrivateKey& key, ByteView message) {
  return key.SignBytes(message);
}
}  // namespace internal

}  // namespace rightchain::crypto
