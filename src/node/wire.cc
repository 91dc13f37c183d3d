#include "node/wire.h"

#include "codec/reader.h"
#include "codec/transaction.h"
#include "codec/writer.h"
#include "node/node_config.h"

namespace rightchain::node {

Bytes EncodeWire(WireType type, ByteView payload) {
  RC_ASSERT(payload.size() + 1 <= kMaxWireMessageSize);
  Bytes frame;
  frame.reserve(1 + payload.size());
  frame.push_back(static_cast<std::uint8_t>(type));
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

Result<WireMessage> DecodeWire(ByteView frame) {
  if (frame.empty()) return Status::InvalidArgument("empty peer message");
  if (frame.size() > kMaxWireMessageSize) return Status::LimitExceeded("peer message too large");
  const std::uint8_t type = frame[0];
  if (type < static_cast<std::uint8_t>(WireType::kConsensus) ||
      type > static_cast<std::uint8_t>(WireType::kTransactionBatch)) {
    return Status::InvalidArgument("unknown peer message type " + std::to_string(type));
  }
  return WireMessage{static_cast<WireType>(type), frame.subspan(1)};
}

Bytes EncodePeerAddresses(const std::vector<MemberAddress>& addresses) {
  RC_ASSERT(addresses.size() <= kMaxPeerAddresses);
  Bytes payload{static_cast<std::uint8_t>(addresses.size())};
  const auto append_text = [&payload](const std::string& text) {
    RC_ASSERT(!text.empty() && text.size() <= kMaxAddressFieldBytes);
    payload.push_back(static_cast<std::uint8_t>(text.size()));
    payload.insert(payload.end(), text.begin(), text.end());
  };
  for (const MemberAddress& address : addresses) {
    append_text(address.name);
    append_text(address.host);
    payload.push_back(static_cast<std::uint8_t>(address.port >> 8));
    payload.push_back(static_cast<std::uint8_t>(address.port));
  }
  return payload;
}

Result<std::vector<MemberAddress>> DecodePeerAddresses(ByteView payload) {
  std::size_t offset = 0;
  const auto take_text = [&](std::string& text) -> Status {
    if (offset >= payload.size()) return Status::InvalidArgument("peer addresses are truncated");
    const std::size_t size = payload[offset++];
    if (size == 0 || size > payload.size() - offset)
      return Status::InvalidArgument("peer addresses: bad field length");
    text.assign(payload.begin() + static_cast<std::ptrdiff_t>(offset),
                payload.begin() + static_cast<std::ptrdiff_t>(offset + size));
    offset += size;
    return Status::Ok();
  };
  if (payload.empty()) return Status::InvalidArgument("peer addresses are empty");
  const std::size_t count = payload[offset++];
  std::vector<MemberAddress> addresses;
  for (std::size_t i = 0; i < count; ++i) {
    MemberAddress address;
    RC_RETURN_IF_ERROR(take_text(address.name));
    RC_RETURN_IF_ERROR(take_text(address.host));
    if (!IsPeerHost(address.host))
      return Status::InvalidArgument("peer addresses: a host is not a host name or an IP address");
    if (payload.size() - offset < 2) return Status::InvalidArgument("peer addresses are truncated");
    address.port = static_cast<std::uint16_t>(payload[offset] << 8 | payload[offset + 1]);
    offset += 2;
    if (address.port == 0) return Status::InvalidArgument("peer addresses: port 0");
    addresses.push_back(std::move(address));
  }
  if (offset != payload.size()) return Status::InvalidArgument("peer addresses: trailing bytes");
  return addresses;
}

Bytes EncodeTransactionBatch(const std::vector<ByteView>& transactions) {
  RC_ASSERT(!transactions.empty() && transactions.size() <= kMaxTransactionBatch);
  std::size_t size = 4;
  for (const ByteView transaction : transactions) size += 4 + transaction.size();
  RC_ASSERT(size < kMaxWireMessageSize);
  codec::Writer writer(size);
  writer.WriteCount(transactions.size(), kMaxTransactionBatch);
  for (const ByteView transaction : transactions) {
    RC_ASSERT(!transaction.empty());
    writer.WriteBytes(transaction, codec::kMaxSignedTransactionEncodedSize);
  }
  return std::move(writer).Take();
}

Result<std::vector<ByteView>> DecodeTransactionBatch(ByteView payload) {
  codec::Reader reader(payload);
  // An entry is at least its 4-byte length and one byte.
  RC_ASSIGN_OR_RETURN(const std::size_t count,
                      reader.ReadCount("transaction_batch.count", kMaxTransactionBatch, 5));
  if (count == 0) return reader.Fail("transaction_batch.count", "a batch holds at least one transaction");
  std::vector<ByteView> transactions;
  transactions.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    RC_ASSIGN_OR_RETURN(const ByteView transaction,
                        reader.ReadBytes("transaction_batch.entry", codec::kMaxSignedTransactionEncodedSize));
    if (transaction.empty()) return reader.Fail("transaction_batch.entry", "an entry is empty");
    transactions.push_back(transaction);
  }
  RC_RETURN_IF_ERROR(reader.Finish("transaction_batch"));
  return transactions;
}

Bytes EncodeU64(std::uint64_t value) {
  Bytes bytes(8);
  for (int i = 7; i >= 0; --i, value >>= 8)
    bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value);
  return bytes;
}

Result<std::uint64_t> DecodeU64(ByteView bytes) {
  if (bytes.size() != 8) return Status::InvalidArgument("expected 8 bytes");
  std::uint64_t value = 0;
  for (const std::uint8_t byte : bytes) value = value << 8 | byte;
  return value;
}

}  // namespace rightchain::node
