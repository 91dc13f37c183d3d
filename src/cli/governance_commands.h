// Wires `rightchain gov list` (docs/governance.md) into the command line: the consortium's members,
// proposals and validator-set records as the chain holds them.
#pragma once

#include <memory>
#include <optional>

#include "base/status.h"

namespace CLI {
class App;
}

namespace rightchain::cli {

// As AddProofCommands: the callbacks store their outcome in `outcome`; the returned object owns the
// options and must outlive the parse.
std::shared_ptr<void> AddGovernanceCommands(CLI::App& app, std::optional<Status>& outcome);

}  // namespace rightchain::cli
