// `rightchain keygen`: a signing key of a suite's scheme as encrypted PKCS#8.
#pragma once

#include <filesystem>
#include <iosfwd>

#include "base/status.h"
#include "crypto/suite.h"

namespace rightchain::cli {

inline constexpr std::size_t kMaxPassphraseFileBytes = 4096;
inline constexpr std::size_t kPassphraseRandomBytes = 16;

struct KeygenOptions {
  crypto::SuiteId suite = crypto::SuiteId::kSm;
  std::filesystem::path out;              // the private key; FILE.pub gets the public key
  std::filesystem::path passphrase_file;  // empty: a random one is written to FILE.pass (0600)
};

// Refuses to overwrite an existing key. Prints the scheme, raw public key (hex) and key id.
Status Keygen(const KeygenOptions& options, std::ostream& out);

// A passphrase file's content without its trailing line break; empty or oversized is an error.
Result<std::string> ReadPassphraseFile(const std::filesystem::path& path);

// A fresh random passphrase: hex of kPassphraseRandomBytes random bytes.
Result<std::string> RandomPassphrase();

}  // namespace rightchain::cli
