#include "cli/note.h"
#include "base/file.h"

#include <chrono>
#include <ostream>
#include <thread>

#include "cli/chain_session.h"
#include "client/node_client.h"
#include "codec/transaction.h"
#include "crypto/cipher.h"
#include "crypto/private_key.h"
#include "crypto/suite.h"
#include "exec/executor.h"
#include "node/genesis_file.h"

namespace rightchain::cli {
namespace {

Result<crypto::PrivateKey> LoadOrCreateKey(const NoteOptions& options, crypto::SignatureScheme scheme) {
  if (options.key_file.empty()) return crypto::PrivateKey::Generate(scheme);
  RC_ASSIGN_OR_RETURN(const std::string pem, ReadFile(options.key_file, 64 * 1024));
  std::string passphrase;
  if (!options.passphrase_file.empty()) {
    RC_ASSIGN_OR_RETURN(passphrase, ReadFile(options.passphrase_file, 4096));
    passphrase = passphrase.substr(0, passphrase.find_last_not_of("\r\n") + 1);
  }
  RC_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::FromPem(pem, passphrase));
  if (key.scheme() != scheme)
    return Status::InvalidArgument("the key is not of the chain's signature scheme");
  return key;
}

}  // namespace

Status SubmitNote(const NoteOptions& options, std::ostream& out) {
  const client::NodeClient node(options.node_url);
  RC_ASSIGN_OR_RETURN(const client::NodeStatus status, node.GetStatus());
  // The node's status names the chain and its crypto suite.
  RC_ASSIGN_OR_RETURN(const crypto::SuiteId suite, crypto::ParseSuiteName(status.suite));
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey key,
                      LoadOrCreateKey(options, crypto::GetSuite(suite).signature));
  RC_ASSIGN_OR_RETURN(const std::uint64_t nonce, RandomNonce());
  RC_ASSIGN_OR_RETURN(const codec::SignedTransaction signed_transaction,
                      SignTransaction(key, status.chain_id, nonce, status.height + options.expiry_heights,
                                      exec::TransactionKind::kNote, ToBytes(options.text)));

  RC_ASSIGN_OR_RETURN(const client::SubmittedTransaction submitted,
                      node.SubmitTransaction(codec::EncodeSignedTransaction(signed_transaction)));
  out << submitted.id << "\n";
  if (!options.wait) return Status::Ok();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.wait_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    RC_ASSIGN_OR_RETURN(const client::TransactionStatus state, node.GetTransaction(submitted.id));
    if (state.status == "committed" || state.status == "expired") {
      out << state.status << "\n";
      return state.status == "committed" ? Status::Ok() : Status::Unavailable("the note expired");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return Status::Unavailable("the note was not committed within " + std::to_string(options.wait_seconds) +
                             " s");
}

}  // namespace rightchain::cli
