// C2SP signed notes (c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank line, and
// one line per signature, "— <key name> <base64(key id ‖ signature)>". Checkpoints of the global
// log are signed notes (checkpoint.h), so that standard tools verify them: for the std suite,
// Go's golang.org/x/mod/sumdb/note verifies our notes unchanged.
//
// Key ids: the first 4 bytes (big-endian) of SHA-256(key name ‖ 0x0A ‖ signature type ‖ public
// key). Type 0x01 is Ed25519 (C2SP). SM2 has no C2SP type; C2SP reserves 0xff followed by an
// algorithm identifier for such keys, and ours is "rightchain-sm2" (SM2 with SM3 and the default
// distinguishing ID 1234567812345678, 65-byte uncompressed public key), so the SM2 type bytes
// are 0xff ‖ "rightchain-sm2".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"

namespace rightchain::proofs {

inline constexpr std::size_t kMaxNoteSize = std::size_t{1} << 20;
inline constexpr std::size_t kMaxNoteSignatures = 100;  // as Go's note.Open
inline constexpr std::size_t kMaxKeyNameSize = 256;
inline constexpr std::string_view kSm2NoteAlgorithm = "rightchain-sm2";

struct NoteSignature {
  std::string key_name;
  std::uint32_t key_id = 0;
  Bytes signature;
  friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

struct SignedNote {
  std::string text;  // ends in "\n"
  std::vector<NoteSignature> signatures;
  friend bool operator==(const SignedNote&, const SignedNote&) = default;
};

// A key name: non-empty UTF-8, no whitespace, no '+', at most kMaxKeyNameSize bytes.
Status ValidateKeyName(std::string_view name);

// The signature type bytes of a key's scheme: 0x01, or 0xff ‖ "rightchain-sm2".
Bytes NoteSignatureType(crypto::SignatureScheme scheme);
std::uint32_t NoteKeyId(std::string_view key_name, const crypto::PublicKey& key);
// Go's verifier key string "name+<8 hex key id>+base64(type ‖ public key)" (note.NewVerifier
// accepts it for Ed25519).
std::string NoteVerifierKey(std::string_view key_name, const crypto::PublicKey& key);

// OK if `text` can be signed: valid UTF-8, ends in "\n", no blank line, no control character but
// "\n", at most kMaxNoteSize bytes.
Status ValidateNoteText(std::string_view text);

Result<NoteSignature> SignNote(std::string_view text, std::string_view key_name,
                               const crypto::PrivateKey& key);
// The signature line for a signature made elsewhere (by a node's signer lane).
NoteSignature MakeNoteSignature(std::string_view key_name, const crypto::PublicKey& key, ByteView signature);

// text ‖ "\n" ‖ one line per signature.
std::string FormatSignedNote(const SignedNote& note);
// Strict and bounded: splits at the last blank line like Go's note.Open; every signature line
// must be well formed.
Result<SignedNote> ParseSignedNote(std::string_view encoded);

struct NoteKey {
  std::string name;
  crypto::PublicKey key;
};

// Which of `keys` signed the note: indexes into `keys`, each once. Signatures by keys not in
// `keys` are ignored (C2SP); a signature by a known key that does not verify fails the whole note
// with kVerificationFailed naming the key.
Result<std::vector<std::size_t>> VerifyNote(const SignedNote& note, std::span<const NoteKey> keys);

}  // namespace rightchain::proofs
