// The QR code of a certificate's verification URL, as a matrix of modules (libqrencode): the PDF
// draws them as rectangles and the HTML as SVG, so neither needs an image library.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rightchain::certificate {

inline constexpr std::size_t kMaxQrTextSize = 1024;
// White modules around the code that readers need (ISO/IEC 18004).
inline constexpr std::size_t kQrQuietZoneModules = 4;

struct QrCode {
  std::size_t width = 0;   // modules per side
  std::vector<bool> dark;  // row-major, width * width
  bool Dark(std::size_t x, std::size_t y) const { return dark[y * width + x]; }
};

// Error correction level M, 8-bit mode, the smallest version that fits.
Result<QrCode> EncodeQr(std::string_view text);

}  // namespace rightchain::certificate
