#include "crypto/signature.h"

#include "crypto/domain.h"

namespace rightchain::crypto {

std::size_t RawPublicKeySize(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::kEd25519: return kEd25519PublicKeySize;
    case SignatureScheme::kSm2: return kSm2PublicKeySize;
  }
  RC_UNREACHABLE();
}

Status CheckSignableObject(ByteView message) {
  const Result<std::size_t> tag_size = ParseDomainTag(message);
  if (!tag_size.ok()) return tag_size.status().WithContext("a signed binary object needs a domain tag");
  return Status::Ok();
}

Status CheckSignableNote(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("a signed note cannot be empty");
  if (static_cast<std::uint8_t>(text.front()) == kDomainTagMarker) {
    return Status::InvalidArgument(
        "a signed note cannot start with 0x00 (reserved for tagged binary objects)");
  }
  if (text.back() != '\n') return Status::InvalidArgument("a signed note must end with a newline");
  return Status::Ok();
}

}  // namespace rightchain::crypto
