#include "cli/chain_session.h"

#include <chrono>
#include <system_error>
#include <thread>

#include "base/file.h"

#include <nlohmann/json.hpp>
#include "cli/keygen.h"
#include "codec/transaction.h"
#include "crypto/cipher.h"

namespace rightchain::cli {
namespace {

constexpr std::uint64_t kExpiryHeights = 1000;
constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;
constexpr auto kPollInterval = std::chrono::milliseconds(200);

}  // namespace

Result<ChainSession> ConnectChain(const std::string& node_url) {
  ChainSession session{client::NodeClient(node_url), "", crypto::SuiteId::kSm, 0};
  Result<client::NodeStatus> status = session.node.GetStatus();
  if (!status.ok()) return status.status().WithContext("node " + node_url);
  RC_ASSIGN_OR_RETURN(session.suite, crypto::ParseSuiteName(status->suite));
  session.chain_id = status->chain_id;
  session.height = status->height;
  return session;
}

Result<crypto::PrivateKey> LoadSigningKey(const std::filesystem::path& key_file,
                                          const std::filesystem::path& passphrase_file,
                                          crypto::SignatureScheme scheme) {
  if (key_file.empty()) return Status::InvalidArgument("--key must name a key file (see rightchain keygen)");
  Result<std::string> pem = ReadFile(key_file, kMaxKeyFileBytes);
  if (!pem.ok()) return pem.status().WithContext("key file " + key_file.string());
  std::string passphrase;
  std::filesystem::path passphrase_path = passphrase_file;
  std::error_code error;
  if (passphrase_path.empty() && std::filesystem::exists(key_file.string() + ".pass", error)) {
    passphrase_path = key_file.string() + ".pass";
  }
  // A node's consensus key (net init, node join): consensus-key.pem beside consensus-key.pass.
  std::filesystem::path sibling = key_file;
  sibling.replace_extension(".pass");
  if (passphrase_path.empty() && key_file.extension() == ".pem" && std::filesystem::exists(sibling, error)) {
    passphrase_path = sibling;
  }
  if (!passphrase_path.empty()) {
    RC_ASSIGN_OR_RETURN(passphrase, ReadPassphraseFile(passphrase_path));
  }
  Result<crypto::PrivateKey> key = crypto::PrivateKey::FromPem(*pem, passphrase);
  if (!key.ok()) return key.status().WithContext("key file " + key_file.string());
  if (key->scheme() != scheme) {
    return Status::InvalidArgument("key file " + key_file.string() + " holds a " +
                                   std::string(crypto::SignatureSchemeName(key->scheme())) +
                                   " key; the chain signs with " +
                                   std::string(crypto::SignatureSchemeName(scheme)));
  }
  return key;
}

Result<codec::SignedTransaction> SignTransaction(const crypto::PrivateKey& key, std::string chain_id,
                                                 std::uint64_t nonce, std::uint64_t expiry_height,
                                                 exec::TransactionKind kind, Bytes payload) {
  codec::Transaction transaction;
  transaction.chain_id = std::move(chain_id);
  transaction.nonce = nonce;
  transaction.expiry_height = expiry_height;
  transaction.kind = static_cast<std::uint16_t>(kind);
  transaction.payload = std::move(payload);
  return codec::SignTransaction(key, std::move(transaction));
}

Result<std::uint64_t> RandomNonce() {
  RC_ASSIGN_OR_RETURN(const Bytes bytes, crypto::RandomBytes(8));
  std::uint64_t nonce = 0;
  for (const std::uint8_t byte : bytes) nonce = nonce << 8 | byte;
  return nonce;
}

Result<CommittedReceipt> SubmitAndWait(const ChainSession& session, const crypto::PrivateKey& key,
                                       exec::TransactionKind kind, Bytes payload,
                                       std::uint32_t wait_seconds) {
  RC_ASSIGN_OR_RETURN(const std::uint64_t nonce, RandomNonce());
  RC_ASSIGN_OR_RETURN(const codec::SignedTransaction signed_transaction,
                      SignTransaction(key, session.chain_id, nonce, session.height + kExpiryHeights, kind,
                                      std::move(payload)));
  RC_ASSIGN_OR_RETURN(const client::SubmittedTransaction submitted,
                      session.node.SubmitTransaction(codec::EncodeSignedTransaction(signed_transaction)));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    RC_ASSIGN_OR_RETURN(const client::TransactionStatus state, session.node.GetTransaction(submitted.id));
    if (state.status == "expired") return Status::Unavailable("transaction " + submitted.id + " expired");
    if (state.status == "committed" && state.receipt.has_value()) {
      CommittedReceipt receipt{submitted.id, state.height.value_or(0), state.receipt->status, {}};
      RC_ASSIGN_OR_RETURN(receipt.result, HexDecode(state.receipt->result));
      return receipt;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return Status::Unavailable("transaction " + submitted.id + " was not committed within " +
                             std::to_string(wait_seconds) + " s");
}

Result<exec::AccountId> AccountOfKey(const ChainSession& session, const crypto::PublicKey& key) {
  const std::string key_id = HexEncode(key.key_id());
  Result<std::string> body = session.node.GetJsonText("/v1/keys/" + key_id + "/account");
  if (!body.ok()) {
    if (body.status().code() == ErrorCode::kNotFound) {
      return Status::NotFound("key " + key_id +
                              " belongs to no account: create one with `rightchain account create`");
    }
    return body.status();
  }
  const nlohmann::json json = nlohmann::json::parse(*body, nullptr, false);
  if (!json.is_object() || !json.contains("account") || !json["account"].is_string() ||
      !json.contains("status") || !json["status"].is_string()) {
    return Status::Corruption("the node's key lookup has an unexpected shape");
  }
  if (json["status"] != "current") {
    return Status::InvalidArgument("key " + key_id + " is " + json["status"].get<std::string>() +
                                   ": it no longer signs for its account");
  }
  RC_ASSIGN_OR_RETURN(const Bytes account, HexDecode(json["account"].get<std::string>()));
  if (account.size() != crypto::kKeyIdSize) return Status::Corruption("the node sent a malformed account id");
  exec::AccountId id;
  std::copy(account.begin(), account.end(), id.begin());
  return id;
}

Status ReceiptError(const CommittedReceipt& receipt) {
  return Status::InvalidArgument("the chain rejected transaction " + receipt.transaction_id + " at height " +
                                 std::to_string(receipt.height) + ": " + receipt.status);
}

}  // namespace rightchain::cli
