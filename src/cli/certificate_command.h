// Wires `rightchain certificate` (docs/certificate.md) into the command line: a registered work's
// electronic data deposit certificate as a PDF (and optionally HTML), issued only for a bundle that
// verifies against the trust file.
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
std::shared_ptr<void> AddCertificateCommand(CLI::App& app, std::optional<Status>& outcome);

}  // namespace rightchain::cli
