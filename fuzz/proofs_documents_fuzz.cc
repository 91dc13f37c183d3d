// libFuzzer target: the documents a verifier reads from strangers: trust files (with their chain of
// validator-set records), proof bundles and signed notes (checkpoints).
// Properties: parsing never crashes, never asserts and stays within the documents' size limits; a
// bundle that parses verifies (or fails) against the parsed trust file without crashing; an
// accepted signed note formats back to text that parses to the same note.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/assert.h"
#include "proofs/bundle.h"
#include "proofs/signed_note.h"
#include "proofs/trust.h"
#include "proofs/verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rightchain;  // NOLINT: a fuzz target
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Result<proofs::TrustAnchor> trust = proofs::ParseTrustFile(text);
  if (trust.ok()) RC_ASSERT(!trust->validator_sets.empty());
  const Result<proofs::Bundle> bundle = proofs::ParseBundleJson(text);
  if (bundle.ok() && trust.ok()) (void)proofs::VerifyBundle(*bundle, *trust, std::nullopt);
  const Result<proofs::SignedNote> note = proofs::ParseSignedNote(text);
  if (note.ok()) {
    const Result<proofs::SignedNote> again = proofs::ParseSignedNote(proofs::FormatSignedNote(*note));
    RC_ASSERT(again.ok() && *again == *note);
  }
  return 0;
}
