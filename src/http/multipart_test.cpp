#include "http/multipart.h"

#include <sstream>
#include <vector>

#include <gtest/gtest.h>

namespace odp::http {
namespace {

struct Collect : MultipartSink {
  struct Part {
    MultipartPart head;
    std::string data;
  };
  std::vector<Part> parts;
  Status Begin(const MultipartPart& p) override {
    parts.push_back({p, ""});
    return Status::Ok();
  }
  Status Data(std::string_view d) override {
    parts.back().data.append(d);
    return Status::Ok();
  }
  Status End() override { return Status::Ok(); }
};

std::string Body(const std::string& file_content) {
  return "preamble\r\n--XyZ\r\n"
         "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
         "Danh sách\r\n--XyZ\r\n"
         "Content-Disposition: form-data; name=\"upload\"; filename=\"x.csv\"; "
         "filename*=UTF-8''D%C3%A2n%20s%E1%BB%91.csv\r\n"
         "Content-Type: text/csv\r\n\r\n" +
         file_content + "\r\n--XyZ--\r\n";
}

TEST(MultipartTest, ParsesFieldsAndFilesPreferringTheUtf8FileName) {
  std::istringstream in(Body("a,b\r\n1,2\r\n"));
  Collect c;
  ASSERT_TRUE(ParseMultipart(in, "XyZ", c).ok());
  ASSERT_EQ(c.parts.size(), 2u);
  EXPECT_EQ(c.parts[0].head.name, "name");
  EXPECT_EQ(c.parts[0].data, "Danh sách");
  EXPECT_TRUE(c.parts[1].head.is_file);
  EXPECT_EQ(c.parts[1].head.filename, "Dân số.csv");
  EXPECT_EQ(c.parts[1].data, "a,b\r\n1,2\r\n");
}

TEST(MultipartTest, LargeFilesCrossChunkBoundariesIntact) {
  std::string big;
  for (int i = 0; i < 300000; ++i) big += static_cast<char>('a' + i % 26);
  big += "\r\n--XyZ is not a boundary without the CRLF before it? it is: keep it out";
  big = big.substr(0, 300000);
  std::istringstream in(Body(big));
  Collect c;
  ASSERT_TRUE(ParseMultipart(in, "XyZ", c).ok());
  ASSERT_EQ(c.parts.size(), 2u);
  EXPECT_EQ(c.parts[1].data, big);
}

TEST(MultipartTest, TruncatedBodyIsAnError) {
  std::string body = Body("abc");
  std::istringstream in(body.substr(0, body.size() - 12));
  Collect c;
  Status s = ParseMultipart(in, "XyZ", c);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
}

TEST(MultipartTest, BoundaryComesFromTheContentType) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=----abc"), "----abc");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"q r\""), "q r");
  EXPECT_EQ(MultipartBoundary("application/json"), "");
}

}  // namespace
}  // namespace odp::http
