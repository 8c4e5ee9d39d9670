#include "catalog/seed.h"

#include "base/ids.h"
#include "text/vietnamese.h"

namespace odp::catalog {
namespace {

struct Term {
  const char* vi;
  const char* en;
};

// Huế's open-data portal publishes in 15 sectors (chuyên ngành / lĩnh vực). The source article
// names them in twelve semicolon-separated groups ending in "..."; the two compound groups
// ("Kinh tế - Tài chính, Thương mại, Dịch vụ, Du lịch" and "Giao thông vận tải, bưu chính viễn
// thông") are split in two, and the fifteenth, statistics, is the portal's own statistics
// section. All are editable by a sysadmin.
const Term kSectors[] = {
    {"Văn hóa - Xã hội", "Culture and society"},
    {"Dân cư, Lao động", "Population and labour"},
    {"Hành chính, Pháp luật", "Administration and law"},
    {"Kinh tế - Tài chính", "Economy and finance"},
    {"Thương mại, Dịch vụ, Du lịch", "Trade, services and tourism"},
    {"Khoa học - Công nghệ", "Science and technology"},
    {"Nông nghiệp", "Agriculture"},
    {"Hạ tầng, Đầu tư, Xây dựng", "Infrastructure, investment and construction"},
    {"Tài nguyên - Môi trường", "Natural resources and environment"},
    {"Giáo dục - Đào tạo", "Education and training"},
    {"Y tế", "Health"},
    {"Công nghiệp, Năng lượng", "Industry and energy"},
    {"Giao thông vận tải", "Transport"},
    {"Bưu chính, Viễn thông", "Post and telecommunications"},
    {"Thống kê", "Statistics"},
};

const Term kTopics[] = {
    {"Văn hóa ẩm thực", "Food culture"},
    {"Văn hóa danh nhân", "Notable people"},
    {"Văn hóa địa điểm", "Places and landmarks"},
    {"Văn hóa nghề thủ công", "Handicrafts"},
    {"Văn hóa lễ hội", "Festivals"},
    {"Văn hóa trang phục", "Traditional dress"},
    {"Văn hóa - Nghệ thuật", "Culture and arts"},
    {"Bệnh viện tư nhân", "Private hospitals"},
    {"Giáo dục và đào tạo", "Education and training"},
    {"Mã định danh", "Identifier codes"},
    {"Kinh tế xã hội", "Socio-economy"},
};

}  // namespace

Status SeedTaxonomy(store::CatalogStore& catalog, store::SettingsStore& settings) {
  // Seeded once per portal: afterwards the terms belong to the operator, who may rename or
  // re-slug them without the seed coming back.
  if (settings.GetSetting("taxonomy_seeded").ok()) return Status::Ok();
  return catalog.Transaction([&]() -> Status {
    int position = 0;
    auto seed = [&](const Term& t, GroupKind kind) -> Status {
      Group g;
      g.slug = text::Slugify(t.vi);
      if (catalog.GetGroup(g.slug).ok()) return Status::Ok();
      g.id = NewUuid();
      g.kind = kind;
      g.title_vi = t.vi;
      g.title_en = t.en;
      g.position = position;
      g.created = NowMicros();
      return catalog.InsertGroup(g);
    };
    for (const Term& t : kSectors) {
      ODP_RETURN_IF_ERROR(seed(t, GroupKind::kSector));
      ++position;
    }
    position = 0;
    for (const Term& t : kTopics) {
      ODP_RETURN_IF_ERROR(seed(t, GroupKind::kTopic));
      ++position;
    }
    ODP_ASSIGN_OR_RETURN(auto existing, catalog.ListLicenses());
    const License kLicenses[] = {
        {"cc-by", "Creative Commons Ghi công 4.0", "Creative Commons Attribution 4.0",
         "https://creativecommons.org/licenses/by/4.0/", true, 0},
        {"cc-zero", "Creative Commons CC0 1.0 (dành cho công chúng)", "Creative Commons CC0 1.0",
         "https://creativecommons.org/publicdomain/zero/1.0/", true, 1},
        {"odc-by", "Giấy phép Ghi công của Open Data Commons (ODC-BY)",
         "Open Data Commons Attribution License", "https://opendatacommons.org/licenses/by/1-0/",
         true, 2},
        {"odc-odbl", "Giấy phép Cơ sở dữ liệu mở (ODbL)", "Open Data Commons Open Database License",
         "https://opendatacommons.org/licenses/odbl/1-0/", true, 3},
        {"other", "Khác — xem điều khoản sử dụng", "Other — see the terms of use", "", false, 4},
    };
    for (const License& l : kLicenses) {
      bool present = false;
      for (const auto& e : existing) present = present || e.id == l.id;
      if (!present) ODP_RETURN_IF_ERROR(catalog.UpsertLicense(l));
    }
    return settings.PutSetting("taxonomy_seeded", "1");
  });
}

}  // namespace odp::catalog
