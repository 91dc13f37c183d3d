// Wires `rightchain trust`, `bundle` and `verify` (docs/proofs.md) into the command line.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "proofs/bundle.h"

namespace CLI {
class App;
}

namespace rightchain::cli {

// As AddRecordCommands: the subcommands' callbacks store their outcome in `outcome`; the returned
// object owns their options and must outlive the parse.
std::shared_ptr<void> AddProofCommands(CLI::App& app, std::optional<Status>& outcome);

// The trust file's text as the node at `node_url` serves it (GET /v1/trust), checked to parse.
Result<std::string> FetchTrustFile(const std::string& node_url);

// A record's proof bundle from the node; `target` is "ID" or "ID:ITEM". A batch item's bundle needs
// the platform's item proof file (`batch_proof_path`, written by register-batch).
Result<proofs::Bundle> FetchBundle(const std::string& node_url, const std::string& target,
                                   const std::string& batch_proof_path);

}  // namespace rightchain::cli
