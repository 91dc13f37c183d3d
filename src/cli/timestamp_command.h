// Wires `rightchain timestamp FILE --out T.tsr --ca CA` (docs/proofs.md, "Time-stamps") into the
// command line: an RFC 3161 time-stamp of a file from a node's time-stamping authority, checked
// before it is saved.
#pragma once

#include <memory>
#include <optional>

#include "base/status.h"

namespace CLI {
class App;
}

namespace rightchain::cli {

// As AddProofCommands: the callback stores its outcome in `outcome`; the returned object owns the
// options and must outlive the parse.
std::shared_ptr<void> AddTimeStampCommand(CLI::App& app, std::optional<Status>& outcome);

}  // namespace rightchain::cli
