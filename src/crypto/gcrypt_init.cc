#include "crypto/gcrypt_init.h"

#include <gcrypt.h>

#include <string>

namespace rightchain::crypto::internal {
namespace {

// SM4 arrived in libgcrypt 1.9.0.
constexpr const char* kGcryptMinimumVersion = "1.9.0";

Status InitializeOnce() {
  // gcry_check_version must be the first call: it initialises the library's subsystems.
  if (gcry_check_version(kGcryptMinimumVersion) == nullptr) {
    return Status::CryptoError(std::string("libgcrypt older than ") + kGcryptMinimumVersion);
  }
  // Another part of the process may have initialised libgcrypt already; then respect its choices.
  if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P) == 0) {
    // We use libgcrypt only for SM4-GCM with caller-owned key buffers, never for long-lived
    // secrets, so its secure memory pool (which needs mlock and warns without privileges) is off.
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
  }
  return Status::Ok();
}

}  // namespace

Status InitializeGcrypt() {
  static const Status status = InitializeOnce();  // thread-safe static initialisation
  return status;
}

}  // namespace rightchain::crypto::internal
