// `rightchain note`: signs a note transaction (kind 1, an opaque text) and submits it to a node,
// printing its id. With no key given, a fresh one is generated: notes are for tests and demos.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "base/status.h"

namespace rightchain::cli {

struct NoteOptions {
  std::string node_url;  // "http://127.0.0.1:8600"
  std::string text;
  std::string key_file;                 // encrypted PKCS#8; empty: a fresh key of the chain's suite
  std::string passphrase_file;          // with key_file
  std::uint64_t expiry_heights = 1000;  // the note expires this many heights after the node's
  bool wait = false;                    // wait until the note is committed (or expired)
  std::uint32_t wait_seconds = 60;
};

// Prints the transaction id (and, with `wait`, its height) on `out`.
Status SubmitNote(const NoteOptions& options, std::ostream& out);

}  // namespace rightchain::cli
