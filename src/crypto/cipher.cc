#include "crypto/cipher.h"

#include <gcrypt.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <memory>
#include <string>
#include <type_traits>

#include "base/assert.h"
#include "crypto/gcrypt_init.h"
#include "crypto/openssl_util.h"

namespace rightchain::crypto {

using internal::DataOrEmpty;
using internal::OpenSslFailure;

namespace {

constexpr std::size_t kAes256KeySize = 32;
constexpr std::size_t kSm4KeySize = 16;

Status CheckSizes(CipherAlgorithm algorithm, ByteView key, ByteView nonce, std::size_t message_size,
                  std::size_t associated_data_size) {
  if (key.size() != CipherKeySize(algorithm)) {
    return Status::InvalidArgument(std::string(CipherAlgorithmName(algorithm)) + " key must be " +
                                   std::to_string(CipherKeySize(algorithm)) + " bytes");
  }
  if (nonce.size() != kAeadNonceSize) return Status::InvalidArgument("AEAD nonce must be 12 bytes");
  if (message_size > kAeadMessageMaxSizeBytes || associated_data_size > kAeadMessageMaxSizeBytes) {
    return Status::LimitExceeded("AEAD message or associated data larger than 1 GiB");
  }
  return Status::Ok();
}

// ---- AES-256-GCM through OpenSSL EVP ----

const EVP_CIPHER* Aes256Gcm() {
  // Fetched once: a fetch per call costs a locked lookup in the provider store.
  static const EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  RC_ASSERT_MSG(cipher != nullptr, "OpenSSL lacks AES-256-GCM");
  return cipher;
}

Result<Bytes> AesGcmSeal(ByteView key, ByteView nonce, ByteView associated_data, ByteView plaintext) {
  internal::EvpCipherContextPointer context(EVP_CIPHER_CTX_new());
  Bytes sealed(plaintext.size() + kAeadTagSize);
  int size = 0;
  int final_size = 0;
  if (context == nullptr ||
      EVP_EncryptInit_ex2(context.get(), Aes256Gcm(), key.data(), nonce.data(), nullptr) != 1 ||
      EVP_EncryptUpdate(context.get(), nullptr, &size, DataOrEmpty(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_EncryptUpdate(context.get(), sealed.data(), &size, DataOrEmpty(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), sealed.data() + size, &final_size) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_GET_TAG, kAeadTagSize,
                          sealed.data() + plaintext.size()) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "AES-256-GCM encryption failed");
  }
  RC_ASSERT(static_cast<std::size_t>(size) + static_cast<std::size_t>(final_size) == plaintext.size());
  return sealed;
}

Result<Bytes> AesGcmOpen(ByteView key, ByteView nonce, ByteView associated_data, ByteView ciphertext,
                         ByteView tag) {
  internal::EvpCipherContextPointer context(EVP_CIPHER_CTX_new());
  Bytes plaintext(ciphertext.size());
  int size = 0;
  int final_size = 0;
  if (context == nullptr ||
      EVP_DecryptInit_ex2(context.get(), Aes256Gcm(), key.data(), nonce.data(), nullptr) != 1 ||
      EVP_DecryptUpdate(context.get(), nullptr, &size, DataOrEmpty(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_DecryptUpdate(context.get(), plaintext.data(), &size, DataOrEmpty(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_TAG, kAeadTagSize,
                          const_cast<std::uint8_t*>(tag.data())) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return OpenSslFailure(ErrorCode::kCryptoError, "AES-256-GCM decryption failed");
  }
  if (EVP_DecryptFinal_ex(context.get(), plaintext.data() + size, &final_size) != 1) {
    // Unauthenticated plaintext must never leave: wipe it.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return OpenSslFailure(ErrorCode::kVerificationFailed, "AES-256-GCM tag does not verify");
  }
  RC_ASSERT(static_cast<std::size_t>(size) + static_cast<std::size_t>(final_size) == plaintext.size());
  return plaintext;
}

// ---- SM4-GCM through libgcrypt ----

struct GcryptCipherCloser {
  void operator()(gcry_cipher_hd_t handle) const { gcry_cipher_close(handle); }
};
using GcryptCipher = std::unique_ptr<std::remove_pointer_t<gcry_cipher_hd_t>, GcryptCipherCloser>;

Status GcryptFailure(ErrorCode code, std::string_view what, gcry_error_t error) {
  return Status(code, std::string(what) + " (libgcrypt: " + gcry_strerror(error) + ")");
}

// Opens an SM4-GCM handle keyed with `key`, with `nonce` set and `associated_data` absorbed.
Result<GcryptCipher> Sm4GcmStart(ByteView key, ByteView nonce, ByteView associated_data) {
  RC_RETURN_IF_ERROR(internal::InitializeGcrypt());
  gcry_cipher_hd_t raw_handle = nullptr;
  gcry_error_t error = gcry_cipher_open(&raw_handle, GCRY_CIPHER_SM4, GCRY_CIPHER_MODE_GCM, 0);
  if (error != 0) return GcryptFailure(ErrorCode::kCryptoError, "cannot open SM4-GCM", error);
  GcryptCipher handle(raw_handle);
  if ((error = gcry_cipher_setkey(handle.get(), key.data(), key.size())) != 0 ||
      (error = gcry_cipher_setiv(handle.get(), nonce.data(), nonce.size())) != 0 ||
      (error = gcry_cipher_authenticate(handle.get(), DataOrEmpty(associated_data),
                                        associated_data.size())) != 0) {
    return GcryptFailure(ErrorCode::kCryptoError, "cannot start SM4-GCM", error);
  }
  return handle;
}

Result<Bytes> Sm4GcmSeal(ByteView key, ByteView nonce, ByteView associated_data, ByteView plaintext) {
  RC_ASSIGN_OR_RETURN(GcryptCipher handle, Sm4GcmStart(key, nonce, associated_data));
  Bytes sealed(plaintext.size() + kAeadTagSize);
  gcry_error_t error = 0;
  if (!plaintext.empty() && (error = gcry_cipher_encrypt(handle.get(), sealed.data(), plaintext.size(),
                                                         plaintext.data(), plaintext.size())) != 0) {
    return GcryptFailure(ErrorCode::kCryptoError, "SM4-GCM encryption failed", error);
  }
  if ((error = gcry_cipher_gettag(handle.get(), sealed.data() + plaintext.size(), kAeadTagSize)) != 0) {
    return GcryptFailure(ErrorCode::kCryptoError, "SM4-GCM tag failed", error);
  }
  return sealed;
}

Result<Bytes> Sm4GcmOpen(ByteView key, ByteView nonce, ByteView associated_data, ByteView ciphertext,
                         ByteView tag) {
  RC_ASSIGN_OR_RETURN(GcryptCipher handle, Sm4GcmStart(key, nonce, associated_data));
  Bytes plaintext(ciphertext.size());
  gcry_error_t error = 0;
  if (!ciphertext.empty() && (error = gcry_cipher_decrypt(handle.get(), plaintext.data(), plaintext.size(),
                                                          ciphertext.data(), ciphertext.size())) != 0) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return GcryptFailure(ErrorCode::kCryptoError, "SM4-GCM decryption failed", error);
  }
  error = gcry_cipher_checktag(handle.get(), tag.data(), tag.size());
  if (error != 0) {
    // Unauthenticated plaintext must never leave: wipe it.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    if (gcry_err_code(error) == GPG_ERR_CHECKSUM)
      return Status::VerificationFailed("SM4-GCM tag does not verify");
    return GcryptFailure(ErrorCode::kCryptoError, "SM4-GCM tag check failed", error);
  }
  return plaintext;
}

}  // namespace

std::size_t CipherKeySize(CipherAlgorithm algorithm) {
  switch (algorithm) {
    case CipherAlgorithm::kAes256Gcm: return kAes256KeySize;
    case CipherAlgorithm::kSm4Gcm: return kSm4KeySize;
  }
  RC_UNREACHABLE();
}

Result<Bytes> Seal(CipherAlgorithm algorithm, ByteView key, ByteView nonce, ByteView associated_data,
                   ByteView plaintext) {
  RC_RETURN_IF_ERROR(CheckSizes(algorithm, key, nonce, plaintext.size(), associated_data.size()));
  switch (algorithm) {
    case CipherAlgorithm::kAes256Gcm: return AesGcmSeal(key, nonce, associated_data, plaintext);
    case CipherAlgorithm::kSm4Gcm: return Sm4GcmSeal(key, nonce, associated_data, plaintext);
  }
  RC_UNREACHABLE();
}

Result<Bytes> Open(CipherAlgorithm algorithm, ByteView key, ByteView nonce, ByteView associated_data,
                   ByteView sealed) {
  if (sealed.size() < kAeadTagSize) return Status::InvalidArgument("sealed message shorter than its tag");
  const ByteView ciphertext = sealed.first(sealed.size() - kAeadTagSize);
  const ByteView tag = sealed.last(kAeadTagSize);
  RC_RETURN_IF_ERROR(CheckSizes(algorithm, key, nonce, ciphertext.size(), associated_data.size()));
  switch (algorithm) {
    case CipherAlgorithm::kAes256Gcm: return AesGcmOpen(key, nonce, associated_data, ciphertext, tag);
    case CipherAlgorithm::kSm4Gcm: return Sm4GcmOpen(key, nonce, associated_data, ciphertext, tag);
  }
  RC_UNREACHABLE();
}

Result<Bytes> RandomBytes(std::size_t size_bytes) {
  if (size_bytes > kRandomBytesMaxSize)
    return Status::LimitExceeded("at most 1 MiB of random bytes per call");
  Bytes bytes(size_bytes);
  if (size_bytes > 0 && RAND_bytes(bytes.data(), static_cast<int>(size_bytes)) != 1) {
    return OpenSslFailure(ErrorCode::kCryptoError, "random number generator failed");
  }
  return bytes;
}

}  // namespace rightchain::crypto
