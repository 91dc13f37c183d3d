// Commands for copyright records (docs/cli.md): register a work or a batch, endorse, fix
// evidence, show a record, and manage accounts and their keys.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "cli/chain_session.h"

namespace rightchain::cli {

struct ChainWriteOptions {
  std::string node_url = std::string(kDefaultNodeUrl);
  std::filesystem::path key_file;
  std::filesystem::path passphrase_file;  // default: KEY.pass when it exists
  std::uint32_t wait_seconds = 60;
  bool json = false;
};

struct RegisterOptions {
  ChainWriteOptions chain;
  std::filesystem::path file;
  std::string title;  // default: the file name
  std::string kind;   // default: from the file extension
  std::string where;
  std::vector<std::string> authors;
  std::vector<std::string> owners;  // "ACCOUNT_HEX:SHARE_BASIS_POINTS"; default: the signer, 10000
  std::string storage_pointer;
  std::optional<std::uint64_t> created_milliseconds;  // default: the file's modification time
};
// Prints the registration id once committed, and any prior registration of the same content.
Status RegisterWork(const RegisterOptions& options, std::ostream& out);

struct RegisterBatchOptions {
  ChainWriteOptions chain;
  std::filesystem::path directory;  // every regular file in it (sorted by name) is one item
  bool anchor_only = false;
  std::filesystem::path proofs_directory;  // default: DIR.proofs
  std::string label;
};
// One transaction for the whole directory; writes each item's record and inclusion proof.
Status RegisterBatch(const RegisterBatchOptions& options, std::ostream& out);

struct EndorseOptions {
  ChainWriteOptions chain;
  std::string target;  // "ID" or "ID:ITEM"
  std::string kind = "copyright-authentication";
  std::string text;
};
Status Endorse(const EndorseOptions& options, std::ostream& out);

struct EvidenceOptions {
  ChainWriteOptions chain;
  std::filesystem::path manifest;  // the capture manifest file; its suite hash goes on chain
  std::string url;
  std::string target;  // optional "ID" or "ID:ITEM" of the infringed registration
  std::optional<std::uint64_t> captured_milliseconds;
  std::string note;
};
Status FixEvidence(const EvidenceOptions& options, std::ostream& out);

// Prints the record (or "ID:ITEM" batch item) as the node reports it, as JSON.
Status ShowRecord(const std::string& node_url, const std::string& target, std::ostream& out);

struct AccountOptions {
  ChainWriteOptions chain;
  std::string action;   // create grant withdraw attest verify-attribute rotate key-proof revoke recover show
  std::string account;  // the subject account id (hex)
  std::string kinds;    // "person", "platform,reviewer", …
  std::string label;
  std::string attribute;  // name, id-number, organisation-code
  std::string value;
  std::filesystem::path secret_file;   // the authority's HMAC secret
  std::filesystem::path new_key_file;  // rotate: the new key; key-proof: the key to prove
  std::string new_public_key;          // recover: hex, from `account key-proof`
  std::string proof;                   // recover: hex, from `account key-proof`
  // create: the sponsor's key (a platform or an authority), which signs the creation; empty: the
  // local consortium's sign-up key, kDefaultSponsorKeyFile, when it exists.
  std::filesystem::path sponsor_key_file;
  std::filesystem::path sponsor_passphrase_file;
};
// Where `make run` keeps the local consortium's sponsoring account key (net init writes it).
inline constexpr std::string_view kDefaultSponsorKeyFile = ".local/consortium/accounts/sponsor.key";
Status RunAccountCommand(const AccountOptions& options, std::ostream& out);

}  // namespace rightchain::cli
