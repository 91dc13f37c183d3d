#include "cli/keygen.h"
#include "base/file.h"

#include <ostream>
#include <system_error>

#include "base/bytes.h"
#include "crypto/cipher.h"
#include "crypto/private_key.h"
#include "node/genesis_file.h"

namespace rightchain::cli {

Result<std::string> ReadPassphraseFile(const std::filesystem::path& path) {
  Result<std::string> text = ReadFile(path, kMaxPassphraseFileBytes);
  if (!text.ok()) return text.status().WithContext("passphrase file " + path.string());
  std::string passphrase = std::move(text).value();
  while (!passphrase.empty() && (passphrase.back() == '\n' || passphrase.back() == '\r'))
    passphrase.pop_back();
  if (passphrase.empty()) return Status::InvalidArgument("passphrase file " + path.string() + " is empty");
  return passphrase;
}

Result<std::string> RandomPassphrase() {
  RC_ASSIGN_OR_RETURN(const Bytes random, crypto::RandomBytes(kPassphraseRandomBytes));
  return HexEncode(random);
}

Status Keygen(const KeygenOptions& options, std::ostream& out) {
  if (options.out.empty()) return Status::InvalidArgument("--out must name a file");
  const std::filesystem::path public_path = options.out.string() + ".pub";
  const std::filesystem::path generated_passphrase_path = options.out.string() + ".pass";
  std::error_code error;
  for (const auto& path : {options.out, public_path}) {
    if (std::filesystem::exists(path, error)) {
      return Status::AlreadyExists(path.string() + " exists; refusing to overwrite a key");
    }
  }
  std::string passphrase;
  if (!options.passphrase_file.empty()) {
    RC_ASSIGN_OR_RETURN(passphrase, ReadPassphraseFile(options.passphrase_file));
  } else {
    if (std::filesystem::exists(generated_passphrase_path, error)) {
      return Status::AlreadyExists(generated_passphrase_path.string() + " exists; refusing to overwrite it");
    }
    RC_ASSIGN_OR_RETURN(passphrase, RandomPassphrase());
  }

  const crypto::SignatureScheme scheme = crypto::GetSuite(options.suite).signature;
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey key, crypto::PrivateKey::Generate(scheme));
  RC_ASSIGN_OR_RETURN(const std::string private_pem, key.ToPem(passphrase));
  RC_ASSIGN_OR_RETURN(const std::string public_pem, key.public_key().ToPem());

  if (options.passphrase_file.empty()) {
    RC_RETURN_IF_ERROR(WriteFile(generated_passphrase_path, passphrase, 0600));
  }
  RC_RETURN_IF_ERROR(WriteFile(options.out, private_pem, 0600));
  RC_RETURN_IF_ERROR(WriteFile(public_path, public_pem, 0644));

  out << "private key:     " << options.out.string() << " (encrypted PKCS#8, passphrase in "
      << (options.passphrase_file.empty() ? generated_passphrase_path : options.passphrase_file).string()
      << ")\n"
      << "public key:      " << public_path.string() << "\n"
      << "scheme:          " << crypto::SignatureSchemeName(scheme) << "\n"
      << "public key hex:  " << HexEncode(key.public_key().raw()) << "\n"
      << "key id:          " << HexEncode(key.public_key().key_id()) << "\n";
  return Status::Ok();
}

}  // namespace rightchain::cli
