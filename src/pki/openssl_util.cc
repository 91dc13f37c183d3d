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

Result<std::string> ReadSmallFile(const std::string& path, std::string_view what) {
  int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) {
    int error = errno;
    std::string message = "cannot read " + std::string(what) + " file " + path + ": " + std::strerror(error);
    return error == ENOENT ? Status::NotFound(message) : Status::IoError(message);
  }
  std::string contents;
  char buffer[16 * 1024];
  while (true) {
    ssize_t count = ::read(descriptor, buffer, sizeof(buffer));
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      int error = errno;
      ::close(descriptor);
      return Status::IoError("cannot read " + std::string(what) + " file " + path + ": " +
                             std::strerror(error));
    }
    if (count == 0) break;
    if (contents.size() + static_cast<std::size_t>(count) > kMaxPemSizeBytes) {
      ::close(descriptor);
      return Status::LimitExceeded(std::string(what) + " file " + path + " is larger than " +
                                   std::to_string(kMaxPemSizeBytes) + " bytes");
    }
    contents.append(buffer, static_cast<std::size_t>(count));
  }
  ::close(descriptor);
  return contents;
}

Status WriteFileAtomically(const std::string& path, std::string_view contents, unsigned mode) {
  std::string temporary_path = path + ".tmp." + std::to_string(::getpid());
  int descriptor = ::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (descriptor < 0) {
    return Status::IoError("cannot create " + temporary_path + ": " + std::strerror(errno));
  }
  auto fail = [&](std::string_view step) {
    int error = errno;
    ::close(descriptor);
    ::unlink(temporary_path.c_str());
    return Status::IoError("cannot " + std::string(step) + " " + path + ": " + std::strerror(error));
  };
  // open() honours the umask and keeps the mode of a stale file: set it exactly.
  if (::fchmod(descriptor, mode) != 0) return fail("set permissions of");
  std::size_t written = 0;
  while (written < contents.size()) {
    ssize_t count = ::write(descriptor, contents.data() + written, contents.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return fail("write");
    written += static_cast<std::size_t>(count);
  }
  if (::fsync(descriptor) != 0) return fail("sync");
  if (::close(descriptor) != 0) {
    ::unlink(temporary_path.c_str());
    return Status::IoError("cannot close " + path + ": " + std::strerror(errno));
  }
  if (::rename(temporary_path.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary_path.c_str());
    return Status::IoError("cannot rename into " + path + ": " + std::strerror(error));
  }
  return Status::Ok();
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
