// Wires the copyright-record commands (register, register-batch, endorse, evidence, show,
// account) into the `rightchain` command line.
#pragma once

#include <memory>
#include <optional>

#include "base/status.h"

namespace CLI {
class App;
}

namespace rightchain::cli {

// Adds the subcommands to `app`. When one of them is parsed, its callback runs the command and
// stores the outcome in `outcome` (which must outlive the parse). The returned object owns the
// commands' options and must outlive the parse too.
std::shared_ptr<void> AddRecordCommands(CLI::App& app, std::optional<Status>& outcome);

}  // namespace rightchain::cli
