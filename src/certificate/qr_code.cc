#include "certificate/qr_code.h"

#include <qrencode.h>

#include <memory>
#include <string>

namespace rightchain::certificate {

Result<QrCode> EncodeQr(std::string_view text) {
  if (text.empty() || text.size() > kMaxQrTextSize) {
    return Status::InvalidArgument("a QR code holds 1.." + std::to_string(kMaxQrTextSize) + " bytes");
  }
  const std::string terminated(text);  // libqrencode reads a NUL-terminated string
  const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(terminated.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (code == nullptr) return Status::Internal("libqrencode could not encode the verification URL");
  QrCode qr;
  qr.width = static_cast<std::size_t>(code->width);
  qr.dark.resize(qr.width * qr.width);
  for (std::size_t i = 0; i < qr.dark.size(); ++i) qr.dark[i] = (code->data[i] & 1) != 0;
  return qr;
}

}  // namespace rightchain::certificate
