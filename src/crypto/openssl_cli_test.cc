// Interoperability with an independent implementation: the `openssl` command line tool.
// SM2 signatures cross-checked both ways with the GB/T 32918.2 default distinguishing ID, and
// shown to depend on that ID. The tool is required: if it is missing these tests fail.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "crypto/domain.h"
#include "crypto/key_internal.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"

namespace rightchain::crypto {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPassphrase = "interop passphrase";

class OpenSslCliTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "rightchain-crypto-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    ASSERT_EQ(Run("openssl version"), 0) << "the openssl command line tool is required for this test";
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  std::string Path(std::string_view name) const { return (directory_ / name).string(); }

  void Write(std::string_view name, ByteView bytes) const {
    std::ofstream out(Path(name), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good());
  }
  Bytes Read(std::string_view name) const {
    std::ifstream in(Path(name), std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // Runs a shell command inside the temporary directory; returns its exit code. Output goes to a
  // log that is printed when a test fails.
  int Run(const std::string& command) {
    const std::string full = "cd '" + directory_.string() + "' && " + command + " >> cli.log 2>&1";
    const int status = std::system(full.c_str());
    if (status == -1 || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
  }
  std::string Log() const {
    const Bytes log = Read("cli.log");
    return std::string(log.begin(), log.end());
  }

  static Bytes TaggedMessage() {
    Bytes message = DomainTag("rightchain/interop-test");
    const std::string_view body = "registration of work #1";
    message.insert(message.end(), body.begin(), body.end());
    return message;
  }

  fs::path directory_;
};

TEST_F(OpenSslCliTest, Sm2SignedHereVerifiesThere) {
  const PrivateKey key = PrivateKey::Generate(SignatureScheme::kSm2).value();
  const Bytes message = TaggedMessage();
  const Signature signature = key.Sign(message).value();
  std::array<std::uint8_t, internal::kSm2DerSignatureMaxSize> der;
  const std::size_t der_size = internal::Sm2SignatureToDer(signature, der).value();
  Write("msg", message);
  Write("sig.der", ByteView(der.data(), der_size));
  Write("pub.pem", AsBytes(key.public_key().ToPem().value()));

  EXPECT_EQ(Run("openssl dgst -sm3 -verify pub.pem -sigopt distid:1234567812345678 -signature sig.der msg"),
            0)
      << Log();
  // Without the distinguishing ID (or with another one) the Z value differs: no verification.
  EXPECT_NE(Run("openssl dgst -sm3 -verify pub.pem -signature sig.der msg"), 0) << Log();
  EXPECT_NE(Run("openssl dgst -sm3 -verify pub.pem -sigopt distid:1234567812345679 -signature sig.der msg"),
            0)
      << Log();
}

TEST_F(OpenSslCliTest, Sm2SignedThereVerifiesHere) {
  // Our encrypted PKCS#8 PEM is read by the tool, which signs.
  const PrivateKey key = PrivateKey::Generate(SignatureScheme::kSm2).value();
  const Bytes message = TaggedMessage();
  Write("msg", message);
  Write("key.pem", AsBytes(key.ToPem(kPassphrase).value()));
  const std::string sign = "openssl dgst -sm3 -sign key.pem -passin 'pass:" + std::string(kPassphrase) + "' ";
  ASSERT_EQ(Run(sign + "-sigopt distid:1234567812345678 -out sig.der msg"), 0) << Log();
  const Signature signature = internal::Sm2SignatureFromDer(Read("sig.der")).value();
  EXPECT_TRUE(key.public_key().Verify(message, signature).ok());

  // The tool signing with another ID: our verification (always the default ID) refuses it.
  ASSERT_EQ(Run(sign + "-sigopt distid:ALICE123@YAHOO.COM -out other-id.der msg"), 0) << Log();
  const Signature other_id = internal::Sm2SignatureFromDer(Read("other-id.der")).value();
  EXPECT_EQ(key.public_key().Verify(message, other_id).code(), ErrorCode::kVerificationFailed);
  // And with no ID at all.
  ASSERT_EQ(Run(sign + "-out no-id.der msg"), 0) << Log();
  const Signature no_id = internal::Sm2SignatureFromDer(Read("no-id.der")).value();
  EXPECT_EQ(key.public_key().Verify(message, no_id).code(), ErrorCode::kVerificationFailed);
}

TEST_F(OpenSslCliTest, Sm2KeysMadeThereImportHere) {
  ASSERT_EQ(Run("openssl genpkey -algorithm SM2 -out tool-key.pem"), 0) << Log();
  ASSERT_EQ(Run("openssl pkey -in tool-key.pem -pubout -out tool-pub.pem"), 0) << Log();
  const Bytes private_pem = Read("tool-key.pem");
  const Bytes public_pem = Read("tool-pub.pem");
  const PrivateKey key = PrivateKey::FromPem(AsText(private_pem), "").value();
  const PublicKey public_key = PublicKey::FromPem(AsText(public_pem)).value();
  EXPECT_EQ(key.scheme(), SignatureScheme::kSm2);
  EXPECT_EQ(key.public_key(), public_key);

  const Bytes message = TaggedMessage();
  Write("msg", message);
  ASSERT_EQ(Run("openssl dgst -sm3 -sign tool-key.pem -sigopt distid:1234567812345678 -out sig.der msg"), 0)
      << Log();
  EXPECT_TRUE(public_key.Verify(message, internal::Sm2SignatureFromDer(Read("sig.der")).value()).ok());
}

TEST_F(OpenSslCliTest, Ed25519BothWays) {
  const PrivateKey key = PrivateKey::Generate(SignatureScheme::kEd25519).value();
  const Bytes message = TaggedMessage();
  Write("msg", message);
  Write("pub.pem", AsBytes(key.public_key().ToPem().value()));
  Write("key.pem", AsBytes(key.ToPem(kPassphrase).value()));
  const Signature signature = key.Sign(message).value();
  Write("sig", signature);
  EXPECT_EQ(Run("openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in msg -sigfile sig"), 0) << Log();

  ASSERT_EQ(Run("openssl pkeyutl -sign -inkey key.pem -passin 'pass:" + std::string(kPassphrase) +
                "' -rawin -in msg -out tool-sig"),
            0)
      << Log();
  EXPECT_TRUE(key.public_key().Verify(message, Read("tool-sig")).ok());
  // Ed25519 is deterministic (RFC 8032): both implementations produce the same bytes.
  EXPECT_EQ(Read("tool-sig"), Bytes(signature.begin(), signature.end()));
}

}  // namespace
}  // namespace rightchain::crypto
