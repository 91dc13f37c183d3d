#include "crypto/domain.h"

namespace rightchain::crypto {
namespace {

bool IsTypeCharacter(char c, bool first) {
  const bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  if (first) return alphanumeric;
  return alphanumeric || c == '.' || c == '/' || c == '_' || c == '-';
}

}  // namespace

bool IsValidDomainType(std::string_view type) {
  if (type.empty() || type.size() > kMaxDomainTypeLength) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (!IsTypeCharacter(type[i], i == 0)) return false;
  }
  return true;
}

Bytes DomainTag(std::string_view type) {
  RC_ASSERT_MSG(IsValidDomainType(type), type);
  Bytes tag;
  tag.reserve(2 + type.size());
  tag.push_back(kDomainTagMarker);
  tag.push_back(static_cast<std::uint8_t>(type.size()));
  tag.insert(tag.end(), type.begin(), type.end());
  return tag;
}

Result<std::string_view> DomainTypeOf(ByteView message) {
  if (message.size() < 2 || message[0] != kDomainTagMarker) {
    return Status::InvalidArgument("message does not start with a domain-separation tag");
  }
  const std::size_t type_length = message[1];
  if (message.size() < 2 + type_length) return Status::InvalidArgument("domain-separation tag is truncated");
  const std::string_view type = AsText(message.subspan(2, type_length));
  if (!IsValidDomainType(type)) return Status::InvalidArgument("domain-separation tag has an invalid type");
  return type;
}

Result<std::size_t> ParseDomainTag(ByteView message) {
  RC_ASSIGN_OR_RETURN(const std::string_view type, DomainTypeOf(message));
  return 2 + type.size();
}

}  // namespace rightchain::crypto
