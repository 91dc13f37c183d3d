// A node's RFC 3161 time-stamping authority: signs TimeStampResp replies whose genTime is the
// consensus time of the block that committed the digest's time-stamp record, with the chain
// position in a non-critical TSTInfo extension (chain_position.h).
//
// The authority's key is ECDSA P-256 with a certificate from the consortium CA whose extended key
// usage is timeStamping only, marked critical (RFC 3161 §2.3): what `openssl ts -verify` checks.
// OpenSSL cannot sign or verify time-stamp tokens with Ed25519 or SM2, so both suites' chains use
// this one profile for their TSA.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "pki/certificate.h"
#include "pki/private_key.h"
#include "timestamp/chain_position.h"
#include "timestamp/time_stamp_request.h"

namespace rightchain::timestamp {

// What the chain says about a time-stamped digest.
struct TimeStampFacts {
  std::int64_t time_milliseconds = 0;  // the committing block's consensus time
  ChainPosition position;
};

class TimeStampAuthority {
 public:
  // Checks that the key matches the certificate and that the certificate is a TSA certificate.
  static Result<TimeStampAuthority> Create(pki::Certificate certificate, pki::PrivateKey key);
  static Result<TimeStampAuthority> LoadFiles(const std::string& certificate_path,
                                              const std::string& key_path);

  const pki::Certificate& certificate() const { return certificate_; }

  // Whether the authority can answer `request` at all (its policy), before any chain work.
  std::optional<Refusal> Check(const TimeStampRequest& request) const;
  // A granted TimeStampResp (DER) for `request`, signed now, with a fresh random serial number.
  Result<Bytes> Grant(const TimeStampRequest& request, const TimeStampFacts& facts) const;
  // A TimeStampResp (DER) refusing a request: status rejection, the message and the failure bit.
  static Result<Bytes> Refuse(const Refusal& refusal);

 private:
  TimeStampAuthority(pki::Certificate certificate, pki::PrivateKey key)
      : certificate_(std::move(certificate)), key_(std::move(key)) {}
  pki::Certificate certificate_;
  pki::PrivateKey key_;
};

}  // namespace rightchain::timestamp
