// The admission rule for request bodies (AdmitUpload): multipart only on upload routes, and
// only from a caller with a valid token or session; decided from the headers alone.
#include "api/upload.h"

#include <gtest/gtest.h>

#include "api/api.h"
#include "testing/temp_portal.h"

namespace odp::api {
namespace {

TEST(AdmitUploadTest, MultipartOnlyOnUploadRoutesAndOnlyFromASignedInCaller) {
  testing::TempPortal portal;
  ApiContext ctx{.catalog = *portal.catalog,
                 .accounts = *portal.accounts,
                 .settings = *portal.settings,
                 .blobs = *portal.blobs,
                 .feed = *portal.store};
  auto router = BuildRouter(ctx);
  access::NewUser nu{"bien-tap", "bien-tap@example.gov.vn", "Biên tập", "mat-khau-rat-dai-123",
                     false};
  auto user = portal.accounts->CreateUser(nu);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  const std::string token = portal.accounts->CreateToken(user->id, "test").value().secret;

  enum Body { kMultipart, kJson };
  enum Caller { kAnonymous, kToken, kBadToken };
  struct Case {
    const char* method;
    const char* target;
    Body body;
    Caller caller;
    int want;  // 0 = admitted
  };
  const Case cases[] = {
      // Read actions and system routes never take a file.
      {"POST", "/api/3/action/package_show", kMultipart, kAnonymous, 415},
      {"POST", "/api/3/action/package_show", kMultipart, kToken, 415},
      {"POST", "/api/3/action/status_show", kMultipart, kToken, 415},
      {"POST", "/api/action/site_read", kMultipart, kAnonymous, 415},
      {"POST", "/api/3/action/package_create", kMultipart, kToken, 415},
      {"POST", "/healthz", kMultipart, kAnonymous, 415},
      {"POST", "/no/such/page", kMultipart, kToken, 415},
      {"GET", "/api/v1/datasets/x/resources", kMultipart, kToken, 415},
      // Upload routes: a signed-in caller only.
      {"POST", "/api/3/action/resource_create", kMultipart, kAnonymous, 401},
      {"POST", "/api/3/action/resource_create", kMultipart, kBadToken, 401},
      {"POST", "/api/3/action/resource_create", kMultipart, kToken, 0},
      {"POST", "/api/action/resource_update", kMultipart, kToken, 0},
      {"POST", "/api/v1/datasets/x/resources", kMultipart, kAnonymous, 401},
      {"POST", "/api/v1/datasets/x/resources", kMultipart, kToken, 0},
      {"PATCH", "/api/v1/resources/x", kMultipart, kToken, 0},
      {"PUT", "/api/v1/resources/x/file", kMultipart, kToken, 0},
      // Other bodies are the handlers' business.
      {"POST", "/api/3/action/package_show", kJson, kAnonymous, 0},
      {"POST", "/healthz", kJson, kAnonymous, 0},
  };
  int checked = 0;
  for (const Case& c : cases) {
    http::Request head;
    head.method = c.method;
    http::SetTarget(head, c.target);
    head.headers["content-type"] =
        c.body == kMultipart ? "multipart/form-data; boundary=XyZ" : "application/json";
    if (c.caller == kToken) head.headers["authorization"] = "Bearer " + token;
    if (c.caller == kBadToken) head.headers["authorization"] = "odp_not-a-token";
    std::optional<http::Response> r = AdmitUpload(ctx, *router, head);
    std::string what = std::string(c.method) + " " + c.target;
    if (c.want == 0) {
      EXPECT_FALSE(r.has_value()) << what << " → " << (r ? r->status : 0);
    } else {
      ASSERT_TRUE(r.has_value()) << what;
      EXPECT_EQ(r->status, c.want) << what;
      EXPECT_NE(r->body.find("message_vi"), std::string::npos) << what;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 18);
}

TEST(ExportFilenameTest, DatasetTableVariantAndDateWithSafeCharacters) {
  // 2026-12-07 20:00 UTC is already 8 December in Viet Nam.
  const Micros now = 1796673600LL * 1000000;
  EXPECT_EQ(ExportFilename("dan-so-hue", "Dân số: 2024/2025", "", now, "csv"),
            "dan-so-hue-Dân-số-2024-2025-2026-12-08.csv");
  EXPECT_EQ(ExportFilename("dan-so-hue", "Dân số", "excel", now, "csv"),
            "dan-so-hue-Dân-số-excel-2026-12-08.csv");
  EXPECT_EQ(ExportFilename("x", "a\"b<c>|d*?\\e\tf\x01", "", now, "xlsx"),
            "x-a-b-c-d-e-f-2026-12-08.xlsx");
  // Cut on a character boundary: 79 bytes of 'a' and then a two-byte letter.
  std::string long_name(79, 'a');
  long_name += "đđđ";
  EXPECT_EQ(ExportFilename("x", long_name, "", now, "csv"),
            "x-" + std::string(79, 'a') + "-2026-12-08.csv");
  EXPECT_EQ(ExportFilename("x", "", "", now, "json"), "x-2026-12-08.json");
  EXPECT_EQ(ContentDisposition("ds-Số liệu.csv", "ds-so-lieu.csv"),
            "attachment; filename=\"ds-so-lieu.csv\"; "
            "filename*=UTF-8''ds-S%E1%BB%91%20li%E1%BB%87u.csv");
}

}  // namespace
}  // namespace odp::api
