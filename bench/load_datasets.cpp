// Benchmark loader: creates a portal with N realistic Vietnamese datasets (default 10,000)
// through the catalogue service, as a province's agencies would, and publishes them.
//
// Usage: odp_bench_load DATA_DIR [N]
// Deterministic: the same N gives the same catalogue.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "base/crypto.h"
#include "catalog/catalog.h"
#include "catalog/seed.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace {

using odp::catalog::DatasetInput;
using odp::catalog::OrganizationInput;

const char* kAgencies[][2] = {
    {"so-giao-duc", "Sở Giáo dục và Đào tạo"},   {"so-y-te", "Sở Y tế"},
    {"so-tai-chinh", "Sở Tài chính"},            {"so-tai-nguyen", "Sở Tài nguyên và Môi trường"},
    {"so-xay-dung", "Sở Xây dựng"},              {"so-giao-thong", "Sở Giao thông vận tải"},
    {"so-du-lich", "Sở Du lịch"},                {"so-van-hoa", "Sở Văn hóa và Thể thao"},
    {"so-nong-nghiep", "Sở Nông nghiệp và Phát triển nông thôn"},
    {"so-cong-thuong", "Sở Công Thương"},        {"so-lao-dong", "Sở Lao động - Thương binh và Xã hội"},
    {"so-tu-phap", "Sở Tư pháp"},                {"so-noi-vu", "Sở Nội vụ"},
    {"so-khcn", "Sở Khoa học và Công nghệ"},     {"so-ttt", "Sở Thông tin và Truyền thông"},
    {"cuc-thong-ke", "Cục Thống kê"},            {"ubnd-phong-dien", "UBND huyện Phong Điền"},
    {"ubnd-phu-vang", "UBND huyện Phú Vang"},    {"ubnd-huong-thuy", "UBND thị xã Hương Thủy"},
    {"trung-tam-ioc", "Trung tâm Giám sát, điều hành đô thị thông minh"}};

const char* kSubjects[] = {
    "Danh sách trường mầm non", "Danh sách trường tiểu học", "Số lượng học sinh theo khối lớp",
    "Cơ sở khám chữa bệnh", "Số giường bệnh theo tuyến", "Chi ngân sách thường xuyên",
    "Thu ngân sách nhà nước", "Giá đất ở theo tuyến đường", "Diện tích đất nông nghiệp",
    "Chất lượng nước mặt", "Chỉ số chất lượng không khí", "Lượng mưa theo tháng",
    "Giấy phép xây dựng đã cấp", "Tuyến xe buýt và điểm dừng", "Tai nạn giao thông",
    "Lượt khách du lịch", "Cơ sở lưu trú du lịch", "Di tích lịch sử văn hóa",
    "Lễ hội truyền thống", "Sản lượng lúa", "Đàn gia súc, gia cầm", "Doanh nghiệp đăng ký mới",
    "Chợ và trung tâm thương mại", "Hộ nghèo, hộ cận nghèo", "Người có công với cách mạng",
    "Văn bản quy phạm pháp luật", "Thủ tục hành chính", "Cán bộ, công chức theo đơn vị",
    "Đề tài khoa học cấp tỉnh", "Điểm truy cập wifi công cộng", "Dân số trung bình",
    "Phản ánh hiện trường đã xử lý", "Camera giám sát giao thông", "Mực nước sông Hương"};

const char* kPlaces[] = {"thành phố Huế", "huyện Phong Điền", "huyện Quảng Điền", "huyện Phú Vang",
                         "thị xã Hương Thủy", "thị xã Hương Trà", "huyện A Lưới", "huyện Phú Lộc",
                         "huyện Nam Đông", "toàn tỉnh", "quận Thuận Hóa", "quận Phú Xuân"};

const char* kTags[] = {"giáo dục", "y tế", "ngân sách", "đất đai", "môi trường", "giao thông",
                       "du lịch", "văn hóa", "nông nghiệp", "doanh nghiệp", "an sinh xã hội",
                       "thống kê", "quy hoạch", "xây dựng", "khí tượng", "thủy văn", "dân số",
                       "hành chính", "khoa học", "đô thị thông minh"};

const char* kFormats[] = {"CSV", "XLSX", "JSON", "PDF", "XLS"};
const char* kLicenses[] = {"cc-by", "cc-by", "cc-by", "cc-zero", "odc-by", "odc-odbl", "other"};
const char* kFrequencies[] = {"monthly", "quarterly", "annual", "annual", "irregular", "daily"};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR [N]\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  int n = argc > 2 ? std::atoi(argv[2]) : 10000;
  (void)odp::InitCrypto();
  std::filesystem::create_directories(dir + "/tmp");
  auto store = odp::store::OpenStore("sqlite:" + dir + "/odp.db").value();
  auto blobs = odp::store::BlobStore::Open(dir + "/blobs").value();
  if (!odp::catalog::SeedTaxonomy(*store, *store).ok()) return 1;
  auto catalog = odp::catalog::CatalogService::Open(*store, *store, *store, *blobs).value();
  odp::access::Principal admin;
  admin.user_id = "bench";
  admin.sysadmin = true;
  for (const auto& a : kAgencies) {
    OrganizationInput in;
    in.slug = a[0];
    in.title_vi = a[1];
    if (!catalog->GetOrganization(a[0]).ok()) (void)catalog->CreateOrganization(admin, in);
  }
  auto sectors = catalog->ListGroups(odp::GroupKind::kSector);
  auto topics = catalog->ListGroups(odp::GroupKind::kTopic);
  std::mt19937 rng(20261123);
  auto pick = [&](int size) { return static_cast<int>(rng() % static_cast<unsigned>(size)); };
  int made = 0;
  for (int i = 0; i < n; ++i) {
    DatasetInput in;
    int year = 2015 + pick(11);
    std::string title = std::string(kSubjects[pick(std::size(kSubjects))]) + " " +
                        kPlaces[pick(std::size(kPlaces))] + " năm " + std::to_string(year);
    in.title_vi = title;
    in.title_en = "Dataset " + std::to_string(i + 1) + " (" + std::to_string(year) + ")";
    in.description_vi = "Số liệu " + title + " do cơ quan chuyên môn tổng hợp, cập nhật định kỳ. "
                        "Bao gồm các chỉ tiêu chính theo đơn vị hành chính cấp xã, phục vụ tra cứu, "
                        "nghiên cứu và xây dựng ứng dụng. Nguồn: báo cáo thống kê của tỉnh.";
    in.organization = kAgencies[pick(std::size(kAgencies))][0];
    in.sectors = std::vector<std::string>{sectors[static_cast<size_t>(pick(static_cast<int>(sectors.size())))].slug};
    if (pick(3) == 0) {
      in.topics = std::vector<std::string>{topics[static_cast<size_t>(pick(static_cast<int>(topics.size())))].slug};
    }
    std::vector<std::string> tags;
    for (int t = 0, k = 1 + pick(4); t < k; ++t) tags.push_back(kTags[pick(std::size(kTags))]);
    in.tags = tags;
    in.license_id = kLicenses[pick(std::size(kLicenses))];
    int tier = pick(20);
    in.access = tier < 17 ? "public" : tier < 18 ? "registered" : tier < 19 ? "shared" : "internal";
    in.update_frequency = kFrequencies[pick(std::size(kFrequencies))];
    in.temporal_start = std::to_string(year) + "-01-01";
    in.temporal_end = std::to_string(year) + "-12-31";
    in.spatial = std::vector<std::string>{"46"};
    in.contact_name = "Phòng Kế hoạch";
    in.contact_email = "lienhe@hue.gov.vn";
    auto e = catalog->CreateDataset(admin, in);
    if (!e.ok()) {
      std::fprintf(stderr, "dataset %d: %s\n", i, e.status().ToString().c_str());
      return 1;
    }
    for (int r = 0, k = 1 + pick(3); r < k; ++r) {
      odp::catalog::ResourceInput ri;
      const char* fmt = kFormats[pick(std::size(kFormats))];
      ri.name = std::string("Tệp dữ liệu ") + std::to_string(r + 1);
      ri.format = fmt;
      ri.url = "https://data.hue.gov.vn/files/" + (*e)->dataset.slug + "-" + std::to_string(r + 1) + "." + fmt;
      (void)catalog->AddResource(admin, (*e)->dataset.id, ri, std::nullopt);
    }
    if (pick(25) != 0) {
      if (!catalog->Transition(admin, (*e)->dataset.id, odp::access::Action::kPublishDataset, "").ok()) return 1;
    }
    ++made;
  }
  std::printf("%d datasets, %zu public\n", made, catalog->ListPublicSlugs().size());
  (void)store->Stop();
  return 0;
}
