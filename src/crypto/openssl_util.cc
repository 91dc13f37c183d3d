#include "crypto/openssl_util.h"

#include <openssl/err.h>

namespace rightchain::crypto::internal {

Status OpenSslFailure(ErrorCode code, std::string_view what) {
  std::string message(what);
  const unsigned long error = ERR_get_error();
  if (error != 0) {
    char reason[256];
    ERR_error_string_n(error, reason, sizeof(reason));
    message += " (";
    message += reason;
    message += ")";
  }
  ERR_clear_error();
  return Status(code, std::move(message));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) return std::string();
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace rightchain::crypto::internal
