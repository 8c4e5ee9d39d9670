// Legacy Vietnamese encodings: detection, and streaming conversion from every encoding with the
// input cut into chunks anywhere. What comes out is always valid UTF-8, the same however the
// input was cut; valid UTF-8 text also goes through NFC, folding and slugs.
#include <cstdlib>
#include <string>

#include "text/legacy.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

using odp::text::Encoding;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)odp::text::DetectEncoding(in);
  (void)odp::text::LooksLikeLegacyText(in);
  const size_t cut = size ? data[0] % (size + 1) : 0;  // where the second chunk starts
  for (Encoding e : {Encoding::kUtf8, Encoding::kUtf16Le, Encoding::kUtf16Be, Encoding::kCp1258, Encoding::kTcvn3,
                     Encoding::kVni, Encoding::kViscii}) {
    odp::text::Transcoder whole(e), pieces(e);
    std::string a, b;
    auto sa = whole.Feed(in, a, true);
    auto sb = pieces.Feed(in.substr(0, cut), b, false);
    if (sb.ok()) sb = pieces.Feed(in.substr(cut), b, true);
    if (sa.ok() && !odp::text::IsValidUtf8(a)) std::abort();
    if (sa.ok() != sb.ok()) std::abort();
    if (sa.ok() && a != b) std::abort();
  }
  if (odp::text::IsValidUtf8(in)) {
    std::string nfc = odp::text::Nfc(in);
    if (!odp::text::IsValidUtf8(nfc)) std::abort();
    (void)odp::text::FoldVietnamese(in);
    std::string slug = odp::text::Slugify(in, 60);
    if (slug.size() >= 2 && !odp::text::IsValidSlug(slug)) std::abort();  // valid slugs have 2+ characters
    (void)odp::text::VietnameseSortKey(in);
  }
  (void)odp::text::FromLegacyFontText(std::string(in), Encoding::kTcvn3, false);
  (void)odp::text::FromLegacyFontText(std::string(in), Encoding::kVni, true);
  return 0;
}
