// Helpers shared by the pki translation units: OpenSSL errors, files, serials, times, names.
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "pki/openssl_handles.h"

#include "base/file.h"

namespace rightchain::pki::internal {

void ClearOpenSslErrors() {
  ERR_clear_error();
}

Status OpenSslError(std::string_view what) {
  unsigned long code = ERR_peek_last_error();
  std::string reason = "unknown OpenSSL error";
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    reason = buffer;
  }
  ERR_clear_error();
  return Status::CryptoError(std::string(what) + ": " + reason);
}

Result<std::string> ReadPemFile(const std::string& path, std::string_view what) {
  Result<std::string> contents = ReadFile(path, kMaxPemSizeBytes);
  if (!contents.ok()) return contents.status().WithContext(std::string(what) + " file");
  return contents;
}

std::string MemoryBioContents(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string SerialToHex(const ASN1_INTEGER* serial) {
  BIGNUM* number = ASN1_INTEGER_to_BN(serial, nullptr);
  RC_ASSERT(number != nullptr);
  char* hex = BN_bn2hex(number);
  RC_ASSERT(hex != nullptr);
  std::string text(hex);
  OPENSSL_free(hex);
  BN_free(number);
  for (char& character : text)
    character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  std::size_t first_nonzero = text.find_first_not_of('0');
  return first_nonzero == std::string::npos ? "0" : text.substr(first_nonzero);
}

// RFC 5280 §4.1.2.2: serials are at most 20 octets.
constexpr std::size_t kMaxSerialHexDigits = 40;

Result<Asn1IntegerPointer> SerialFromHex(std::string_view hex) {
  if (hex.empty() || hex.size() > kMaxSerialHexDigits) {
    return Status::InvalidArgument("serial must be 1 to 40 hex digits, got " + std::to_string(hex.size()));
  }
  for (char character : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(character))) {
      return Status::InvalidArgument("serial is not hex: " + std::string(hex));
    }
  }
  std::string text(hex);
  BIGNUM* number = nullptr;
  if (BN_hex2bn(&number, text.c_str()) == 0) return OpenSslError("parsing serial");
  Asn1IntegerPointer serial(BN_to_ASN1_INTEGER(number, nullptr));
  BN_free(number);
  if (!serial) return OpenSslError("encoding serial");
  return serial;
}

std::int64_t Asn1TimeToUnixSeconds(const ASN1_TIME* time) {
  std::tm broken_down{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &broken_down) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&broken_down));
}

std::string CommonNameOf(const X509_NAME* name) {
  if (name == nullptr) return {};
  int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return {};
  std::string text(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return text;
}

}  // namespace rightchain::pki::internal
