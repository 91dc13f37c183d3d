#include "certificate/html_certificate.h"

#include <gtest/gtest.h>

#include "base/bytes.h"
#include "proofs/testing/test_chain.h"

namespace rightchain::certificate {
namespace {

TEST(EscapeHtmlTest, EscapesMarkupCharactersAndKeepsChinese) {
  EXPECT_EQ(EscapeHtml("静夜思 <script>&\"'"), "静夜思 &lt;script&gt;&amp;&quot;&#39;");
  EXPECT_EQ(EscapeHtml("plain"), "plain");
}

TEST(HtmlCertificateTest, AHostileTitleIsEscapedAndTheBundleIsAttached) {
  const std::string title = "静夜思 <script>alert(1)</script>&\"";
  const proofs::testing::TestChain chain(crypto::SuiteId::kStd, title, "poem");
  const proofs::Verification verification =
      proofs::VerifyBundle(chain.work_bundle(), chain.trust(), std::nullopt);
  ASSERT_TRUE(verification.ok()) << verification.message;
  const std::string json = proofs::EncodeBundleJson(chain.work_bundle());
  CertificateInputs inputs;
  inputs.bundle = &chain.work_bundle();
  inputs.verification = &verification;
  inputs.bundle_json = json;
  inputs.trust_file = chain.trust_file();
  inputs.verification_url =
      VerificationUrl("https://node.example/verify?a=<b>", 2, std::nullopt, "proofs-test");
  const Result<CertificateContent> content = BuildCertificateContent(inputs);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  const Result<std::string> html = RenderHtmlCertificate(*content);
  ASSERT_TRUE(html.ok()) << html.status().ToString();

  EXPECT_EQ(html->find("<script>"), std::string::npos);
  EXPECT_EQ(html->find("a=<b>"), std::string::npos);
  EXPECT_NE(html->find("静夜思 &lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;"), std::string::npos);
  EXPECT_NE(html->find("电子数据存证证书"), std::string::npos);
  EXPECT_NE(html->find("Electronic Data Deposit Certificate"), std::string::npos);
  EXPECT_NE(html->find("<svg"), std::string::npos);
  const std::string link = "download=\"rightchain-bundle-2.json\" href=\"data:application/json;base64,";
  const std::size_t start = html->find(link);
  ASSERT_NE(start, std::string::npos);
  const std::size_t data = start + link.size();
  const Result<Bytes> attached =
      Base64Decode(std::string_view(*html).substr(data, html->find('"', data) - data));
  ASSERT_TRUE(attached.ok()) << attached.status().ToString();
  EXPECT_EQ(std::string(attached->begin(), attached->end()), json);
}

}  // namespace
}  // namespace rightchain::certificate
