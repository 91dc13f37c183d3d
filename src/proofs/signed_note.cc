#include "proofs/signed_note.h"

#include <set>
#include <utility>

#include "codec/utf8.h"
#include "crypto/hash.h"

namespace rightchain::proofs {
namespace {

// U+2014 EM DASH, then a space: the prefix of every signature line.
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";
constexpr std::size_t kKeyIdSize = 4;

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Unicode spaces beyond ASCII that Go's unicode.IsSpace also rejects in a key name.
bool ContainsUnicodeSpace(std::string_view name) {
  for (const std::string_view space : {"\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\xA8", "\xE2\x80\xA9",
                                       "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"}) {
    if (name.find(space) != std::string_view::npos) return true;
  }
  for (unsigned char second = 0x80; second <= 0x8A; ++second) {  // U+2000..U+200A
    const char sequence[] = {'\xE2', '\x80', static_cast<char>(second), '\0'};
    if (name.find(sequence) != std::string_view::npos) return true;
  }
  return false;
}

std::uint32_t ReadKeyId(ByteView bytes) {
  return static_cast<std::uint32_t>(bytes[0]) << 24 | static_cast<std::uint32_t>(bytes[1]) << 16 |
         static_cast<std::uint32_t>(bytes[2]) << 8 | bytes[3];
}

Result<NoteSignature> ParseSignatureLine(std::string_view line) {
  if (!line.starts_with(kSignaturePrefix))
    return Status::InvalidArgument("a signature line must start with '— '");
  line.remove_prefix(kSignaturePrefix.size());
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return Status::InvalidArgument("a signature line has no signature");
  NoteSignature signature;
  signature.key_name = std::string(line.substr(0, space));
  RC_RETURN_IF_ERROR(ValidateKeyName(signature.key_name));
  const Result<Bytes> decoded = Base64Decode(line.substr(space + 1));
  if (!decoded.ok() || decoded->size() <= kKeyIdSize) {
    return Status::InvalidArgument("signature of " + signature.key_name +
                                   " is not base64 of key id and signature");
  }
  signature.key_id = ReadKeyId(*decoded);
  signature.signature.assign(decoded->begin() + kKeyIdSize, decoded->end());
  return signature;
}

}  // namespace

Status ValidateKeyName(std::string_view name) {
  if (name.empty() || name.size() > kMaxKeyNameSize)
    return Status::InvalidArgument("a note key name must be 1..256 bytes");
  if (!codec::IsValidUtf8(name)) return Status::InvalidArgument("a note key name must be UTF-8");
  for (const char c : name) {
    if (IsAsciiSpace(c) || c == '+') {
      return Status::InvalidArgument("a note key name has no spaces and no '+': '" + std::string(name) + "'");
    }
  }
  if (ContainsUnicodeSpace(name)) return Status::InvalidArgument("a note key name has no spaces");
  return Status::Ok();
}

Bytes NoteSignatureType(crypto::SignatureScheme scheme) {
  if (scheme == crypto::SignatureScheme::kEd25519) return Bytes{0x01};
  Bytes type{0xff};
  type.insert(type.end(), kSm2NoteAlgorithm.begin(), kSm2NoteAlgorithm.end());
  return type;
}

std::uint32_t NoteKeyId(std::string_view key_name, const crypto::PublicKey& key) {
  crypto::Hasher hasher(crypto::HashAlgorithm::kSha256);
  hasher.Update(AsBytes(key_name));
  hasher.Update(Bytes{0x0A});
  hasher.Update(NoteSignatureType(key.scheme()));
  hasher.Update(key.raw());
  const crypto::Digest digest = hasher.Finish();
  return ReadKeyId(digest);
}

std::string NoteVerifierKey(std::string_view key_name, const crypto::PublicKey& key) {
  const std::uint32_t id = NoteKeyId(key_name, key);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (int shift = 28; shift >= 0; shift -= 4) hex.push_back(kHex[(id >> shift) & 0xF]);
  Bytes typed = NoteSignatureType(key.scheme());
  typed.insert(typed.end(), key.raw().begin(), key.raw().end());
  return std::string(key_name) + "+" + hex + "+" + Base64Encode(typed);
}

Status ValidateNoteText(std::string_view text) {
  if (text.empty() || text.size() > kMaxNoteSize) return Status::InvalidArgument("a note is 1 byte to 1 MiB");
  if (text.back() != '\n') return Status::InvalidArgument("a note's text ends in a newline");
  if (text.find("\n\n") != std::string_view::npos)
    return Status::InvalidArgument("a note's text has no blank line");
  if (!codec::IsValidUtf8(text)) return Status::InvalidArgument("a note's text is UTF-8");
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
      return Status::InvalidArgument("a note's text has no control characters but newlines");
    }
  }
  return Status::Ok();
}

Result<NoteSignature> SignNote(std::string_view text, std::string_view key_name,
                               const crypto::PrivateKey& key) {
  RC_RETURN_IF_ERROR(ValidateNoteText(text));
  RC_RETURN_IF_ERROR(ValidateKeyName(key_name));
  RC_ASSIGN_OR_RETURN(const crypto::Signature signature, key.SignNote(text));
  return MakeNoteSignature(key_name, key.public_key(), signature);
}

NoteSignature MakeNoteSignature(std::string_view key_name, const crypto::PublicKey& key, ByteView signature) {
  return NoteSignature{std::string(key_name), NoteKeyId(key_name, key),
                       Bytes(signature.begin(), signature.end())};
}

std::string FormatSignedNote(const SignedNote& note) {
  std::string encoded = note.text;
  encoded += '\n';
  for (const NoteSignature& signature : note.signatures) {
    Bytes blob{static_cast<std::uint8_t>(signature.key_id >> 24),
               static_cast<std::uint8_t>(signature.key_id >> 16),
               static_cast<std::uint8_t>(signature.key_id >> 8), static_cast<std::uint8_t>(signature.key_id)};
    blob.insert(blob.end(), signature.signature.begin(), signature.signature.end());
    encoded += kSignaturePrefix;
    encoded += signature.key_name;
    encoded += ' ';
    encoded += Base64Encode(blob);
    encoded += '\n';
  }
  return encoded;
}

Result<SignedNote> ParseSignedNote(std::string_view encoded) {
  if (encoded.size() > kMaxNoteSize) return Status::LimitExceeded("a signed note is at most 1 MiB");
  const std::size_t split = encoded.rfind("\n\n");
  if (split == std::string_view::npos)
    return Status::InvalidArgument("a signed note needs a blank line before its signatures");
  SignedNote note;
  note.text = std::string(encoded.substr(0, split + 1));
  RC_RETURN_IF_ERROR(ValidateNoteText(note.text));
  std::string_view signatures = encoded.substr(split + 2);
  if (signatures.empty() || signatures.back() != '\n') {
    return Status::InvalidArgument("a signed note ends with signature lines, each ending in a newline");
  }
  while (!signatures.empty()) {
    if (note.signatures.size() == kMaxNoteSignatures)
      return Status::LimitExceeded("more than 100 signature lines");
    const std::size_t end = signatures.find('\n');
    RC_ASSIGN_OR_RETURN(NoteSignature signature, ParseSignatureLine(signatures.substr(0, end)));
    note.signatures.push_back(std::move(signature));
    signatures.remove_prefix(end + 1);
  }
  return note;
}

Result<std::vector<std::size_t>> VerifyNote(const SignedNote& note, std::span<const NoteKey> keys) {
  RC_RETURN_IF_ERROR(ValidateNoteText(note.text));
  std::vector<std::size_t> signers;
  std::set<std::size_t> seen;
  for (const NoteSignature& signature : note.signatures) {
    for (std::size_t index = 0; index < keys.size(); ++index) {
      const NoteKey& known = keys[index];
      if (known.name != signature.key_name || NoteKeyId(known.name, known.key) != signature.key_id) continue;
      if (!seen.insert(index).second) break;  // a repeated signature by one key counts once
      if (!known.key.VerifyNote(note.text, signature.signature).ok()) {
        return Status::VerificationFailed("the signature of " + known.name + " does not verify");
      }
      signers.push_back(index);
      break;
    }
  }
  return signers;
}

}  // namespace rightchain::proofs
