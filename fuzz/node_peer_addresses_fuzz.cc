// The peer addresses a node learns from others: arbitrary bytes as the payload of peer message 7
// (node::DecodePeerAddresses, what Daemon::State::LearnAddresses reads from any member), and as
// the text of a member's transport address (node::ParsePeerAddress, what `node join` reads from
// the /v1/status of the node it joins through and writes into the new node's configuration).
// A list that decodes is exactly what re-encodes; an address is written back as it was read.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/assert.h"
#include "node/node_config.h"
#include "node/wire.h"

using namespace rightchain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);

  if (Result<std::vector<node::MemberAddress>> addresses = node::DecodePeerAddresses(input); addresses.ok()) {
    RC_ASSERT(addresses->size() <= node::kMaxPeerAddresses);
    for (const node::MemberAddress& address : *addresses) {
      RC_ASSERT(!address.name.empty() && address.name.size() <= node::kMaxAddressFieldBytes);
      RC_ASSERT(!address.host.empty() && address.host.size() <= node::kMaxAddressFieldBytes);
      RC_ASSERT(address.port != 0);
      // A learned address is logged and dialled as host:port: it must read back as itself.
      const node::PeerAddress peer{address.host, address.port};
      Result<node::PeerAddress> again = node::ParsePeerAddress(node::FormatPeerAddress(peer));
      RC_ASSERT_MSG(again.ok() && *again == peer, "learned host '" + address.host + "' does not read back");
    }
    const Bytes encoded = node::EncodePeerAddresses(*addresses);
    RC_ASSERT(encoded.size() == size && std::equal(encoded.begin(), encoded.end(), input.begin()));
  }

  const std::string_view text = AsText(input);
  if (Result<node::PeerAddress> address = node::ParsePeerAddress(text); address.ok()) {
    RC_ASSERT(!address->host.empty() && address->port != 0);
    Result<node::PeerAddress> again = node::ParsePeerAddress(node::FormatPeerAddress(*address));
    RC_ASSERT_MSG(again.ok() && *again == *address,
                  "'" + std::string(text) + "' is written as '" + node::FormatPeerAddress(*address) + "'");
  }
  return 0;
}
