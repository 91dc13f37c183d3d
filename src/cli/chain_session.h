// What every command that writes to the chain does: learn the chain from a node, load the signing
// key, sign a transaction of a kind, submit it and wait for its receipt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/bytes.h"
#include "base/status.h"
#include "client/node_client.h"
#include "codec/transaction.h"
#include "crypto/private_key.h"
#include "crypto/suite.h"
#include "exec/account.h"
#include "exec/executor.h"

namespace rightchain::cli {

inline constexpr std::string_view kDefaultNodeUrl = "http://127.0.0.1:8600";

struct ChainSession {
  client::NodeClient node;
  std::string chain_id;
  crypto::SuiteId suite = crypto::SuiteId::kSm;
  std::uint64_t height = 0;
};

Result<ChainSession> ConnectChain(const std::string& node_url);

// An encrypted PKCS#8 key file; the passphrase comes from `passphrase_file`, or else from
// KEY.pass beside the key when that exists (what `rightchain keygen` writes), or NAME.pass beside a
// NAME.pem (a node's consensus-key.pem and .pass, as `net init` writes them). The key must be of
// `scheme`.
Result<crypto::PrivateKey> LoadSigningKey(const std::filesystem::path& key_file,
                                          const std::filesystem::path& passphrase_file,
                                          crypto::SignatureScheme scheme);

// A transaction of `kind` from `key`, checked against the encoding's rules and signed.
Result<codec::SignedTransaction> SignTransaction(const crypto::PrivateKey& key, std::string chain_id,
                                                 std::uint64_t nonce, std::uint64_t expiry_height,
                                                 exec::TransactionKind kind, Bytes payload);
// A random 64-bit nonce: unique per account with overwhelming probability, so a client needs no
// nonce bookkeeping.
Result<std::uint64_t> RandomNonce();

struct CommittedReceipt {
  std::string transaction_id;  // hex
  std::uint64_t height = 0;
  std::string status;  // the receipt status name: "ok", "missing_role", …
  Bytes result;
};

// Signs (random nonce, expiry 1000 heights ahead), submits, and waits up to `wait_seconds` for the
// transaction to commit. A receipt that is not ok is still returned (the caller explains it).
Result<CommittedReceipt> SubmitAndWait(const ChainSession& session, const crypto::PrivateKey& key,
                                       exec::TransactionKind kind, Bytes payload,
                                       std::uint32_t wait_seconds = 60);

// The account that `key` currently signs for (GET /v1/keys/{key id}/account).
Result<exec::AccountId> AccountOfKey(const ChainSession& session, const crypto::PublicKey& key);

// The status of a receipt that is not "ok", as an error naming the transaction.
Status ReceiptError(const CommittedReceipt& receipt);

}  // namespace rightchain::cli
