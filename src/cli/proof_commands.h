// Wires `rightchain trust`, `bundle` and `verify` (docs/proofs.md) into the command line.
#pragma once

#include <memory>
#include <optional>

#include "base/status.h"

namespace CLI {
class App;
}

namespace rightchain::cli {

// As AddRecordCommands: the subcommands' callbacks store their outcome in `outcome`; the returned
// object owns their options and must outlive the parse.
std::shared_ptr<void> AddProofCommands(CLI::App& app, std::optional<Status>& outcome);

}  // namespace rightchain::cli
