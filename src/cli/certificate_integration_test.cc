// `rightchain certificate` end to end, checked only with standard tools (poppler-utils, zbar-tools):
// the text a judge reads, the embedded CJK font, the QR code's URL, and the attached bundle, which
// must verify again after extraction. A tampered bundle gets no certificate.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/file.h"
#include "cli/cli_test_util.h"
#include "crypto/hash.h"
#include "proofs/bundle.h"
#include "proofs/testing/test_chain.h"
#include "proofs/verifier.h"

namespace rightchain::cli {
namespace {

using testing::ReadText;
using testing::RunCommand;

const std::string kPoem = "床前明月光，疑是地上霜。\n";
const std::string kTitle = "静夜思 <Quiet Night> & \"Thought\"";
constexpr std::string_view kVerifyBase = "https://verify.example/verify";

std::string Quote(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

// pdffonts rows: name, type (several words), encoding, emb, sub, uni, object number, generation.
bool HasEmbeddedCjkFont(const std::string& pdffonts_output) {
  std::istringstream lines(pdffonts_output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::vector<std::string> columns;
    for (std::string word; words >> word;) columns.push_back(word);
    if (columns.size() < 8) continue;
    const bool cjk =
        columns[0].find("CJK") != std::string::npos || columns[0].find("WenQuanYi") != std::string::npos;
    if (cjk && columns[columns.size() - 5] == "yes") return true;
  }
  return false;
}

class CertificateCommandTest : public testing::ScratchDirectoryTest {
 protected:
  CertificateCommandTest() : chain_(crypto::SuiteId::kStd, kTitle, kPoem) {}

  void SetUp() override {
    ScratchDirectoryTest::SetUp();
    trust_ = scratch_ / "trust.json";
    bundle_ = scratch_ / "bundle.json";
    ASSERT_TRUE(WriteFile(trust_, chain_.trust_file(), 0644).ok());
    ASSERT_TRUE(WriteFile(bundle_, proofs::EncodeBundleJson(chain_.work_bundle()), 0644).ok());
  }

  testing::RunResult Rightchain(const std::string& arguments) {
    return RunCommand(RIGHTCHAIN_CLI_BINARY, arguments, scratch_);
  }
  testing::RunResult Tool(const std::string& command_line) { return RunCommand(command_line, "", scratch_); }

  proofs::testing::TestChain chain_;
  std::filesystem::path trust_;
  std::filesystem::path bundle_;
};

TEST_F(CertificateCommandTest, TheOfflineCertificateIsCheckableWithStandardTools) {
  const std::filesystem::path pdf = scratch_ / "certificate.pdf";
  const std::filesystem::path html = scratch_ / "certificate.html";
  const testing::RunResult issued =
      Rightchain("certificate --bundle " + Quote(bundle_) + " --trust " + Quote(trust_) + " --out " +
                 Quote(pdf) + " --html " + Quote(html) + " --verify-url " + std::string(kVerifyBase));
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  const std::uintmax_t pdf_bytes = std::filesystem::file_size(pdf);
  std::cout << "certificate PDF: " << pdf_bytes << " bytes\n";
  EXPECT_LT(pdf_bytes, 1u << 20);

  // The text a reader sees (layout mode keeps each label beside its value).
  const testing::RunResult text = Tool("pdftotext -layout -enc UTF-8 " + Quote(pdf) + " -");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("电子数据存证证书"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Electronic Data Deposit Certificate"), std::string::npos);
  EXPECT_NE(text.out.find(kTitle), std::string::npos) << text.out;
  EXPECT_TRUE(std::regex_search(text.out, std::regex("登记编号 +2\\n"))) << text.out;
  EXPECT_TRUE(std::regex_search(text.out, std::regex("区块高度 +3\\n"))) << text.out;
  EXPECT_NE(text.out.find(HexEncode(chain_.work().content_hash)), std::string::npos);
  EXPECT_TRUE(std::regex_search(text.out, std::regex("60\\.00% +" + HexEncode(chain_.alice())))) << text.out;
  EXPECT_NE(text.out.find(HexEncode(chain_.trust().file_hash)), std::string::npos);

  const testing::RunResult fonts = Tool("pdffonts " + Quote(pdf));
  ASSERT_EQ(fonts.exit_code, 0) << fonts.err;
  EXPECT_TRUE(HasEmbeddedCjkFont(fonts.out)) << fonts.out;

  // The QR code, read from the rendered first page.
  const testing::RunResult page =
      Tool("pdftoppm -png -r 150 -f 1 -l 1 -singlefile " + Quote(pdf) + " " + Quote(scratch_ / "page"));
  ASSERT_EQ(page.exit_code, 0) << page.err;
  const testing::RunResult qr = Tool("zbarimg --raw -q " + Quote(scratch_ / "page.png"));
  ASSERT_EQ(qr.exit_code, 0) << qr.err;
  EXPECT_EQ(qr.out, std::string(kVerifyBase) + "?record=2&chain=proofs-test\n");

  // The attached bundle: byte for byte the one certified, and it verifies again.
  const std::filesystem::path extracted = scratch_ / "extracted";
  std::filesystem::create_directory(extracted);
  const testing::RunResult detached = Tool("pdfdetach -saveall -o " + Quote(extracted) + " " + Quote(pdf));
  ASSERT_EQ(detached.exit_code, 0) << detached.err;
  const std::filesystem::path attachment = extracted / "rightchain-bundle-2.json";
  const Result<std::string> attached = ReadFile(attachment);
  ASSERT_TRUE(attached.ok()) << attached.status().ToString();
  EXPECT_EQ(*attached, ReadText(bundle_));
  const Result<proofs::Bundle> parsed = proofs::ParseBundleJson(*attached);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(proofs::VerifyBundle(*parsed, chain_.trust(), AsBytes(kPoem)).ok());
  const testing::RunResult verified =
      Rightchain("verify --bundle " + Quote(attachment) + " --trust " + Quote(trust_));
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("VERIFIED work record 2"), std::string::npos) << verified.out;

  const std::string page_html = ReadText(html);
  EXPECT_NE(page_html.find("静夜思 &lt;Quiet Night&gt; &amp; &quot;Thought&quot;"), std::string::npos);
  EXPECT_EQ(page_html.find("<Quiet Night>"), std::string::npos);
}

TEST_F(CertificateCommandTest, ABatchItemCertificateNamesItsItem) {
  const std::filesystem::path item_bundle = scratch_ / "item.json";
  ASSERT_TRUE(WriteFile(item_bundle, proofs::EncodeBundleJson(chain_.batch_item_bundle()), 0644).ok());
  const std::filesystem::path pdf = scratch_ / "item.pdf";
  const testing::RunResult issued =
      Rightchain("certificate --bundle " + Quote(item_bundle) + " --trust " + Quote(trust_) + " --out " +
                 Quote(pdf) + " --url http://node.example:8600");
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  const testing::RunResult text = Tool("pdftotext -layout -enc UTF-8 " + Quote(pdf) + " -");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(std::regex_search(text.out, std::regex("登记编号 +3:1 "))) << text.out;
  const testing::RunResult detached = Tool("pdfdetach -list " + Quote(pdf));
  EXPECT_NE(detached.out.find("rightchain-bundle-3-item-1.json"), std::string::npos) << detached.out;
  const testing::RunResult page =
      Tool("pdftoppm -png -r 150 -f 1 -l 1 -singlefile " + Quote(pdf) + " " + Quote(scratch_ / "item"));
  ASSERT_EQ(page.exit_code, 0) << page.err;
  const testing::RunResult qr = Tool("zbarimg --raw -q " + Quote(scratch_ / "item.png"));
  EXPECT_EQ(qr.out, "http://node.example:8600/verify?record=3&item=1&chain=proofs-test\n");
}

TEST_F(CertificateCommandTest, ATamperedBundleGetsNoCertificate) {
  proofs::Bundle tampered = chain_.work_bundle();
  tampered.record.back() ^= 1;  // another content hash, same record id
  ASSERT_TRUE(WriteFile(bundle_, proofs::EncodeBundleJson(tampered), 0644).ok());
  const std::filesystem::path pdf = scratch_ / "certificate.pdf";
  const std::filesystem::path html = scratch_ / "certificate.html";
  const testing::RunResult refused =
      Rightchain("certificate --bundle " + Quote(bundle_) + " --trust " + Quote(trust_) + " --out " +
                 Quote(pdf) + " --html " + Quote(html) + " --verify-url " + std::string(kVerifyBase));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("does not verify"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("record"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(pdf));
  EXPECT_FALSE(std::filesystem::exists(html));
}

TEST_F(CertificateCommandTest, TheOfflineFormNeedsAVerificationUrl) {
  const testing::RunResult refused = Rightchain("certificate --bundle " + Quote(bundle_) + " --trust " +
                                                Quote(trust_) + " --out " + Quote(scratch_ / "c.pdf"));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("--verify-url"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(scratch_ / "c.pdf"));
}

}  // namespace
}  // namespace rightchain::cli
