// The files built into the binary: templates, messages and static assets (cmake/embed_files.cmake).
#pragma once

#include <cstddef>

namespace odp::web::internal {

struct EmbeddedFile {
  const char* name;  // "templates/home.mustache", "static/odp.css", …
  const char* data;
  size_t size;
};

// Terminated by an entry whose name is null.
extern const EmbeddedFile kEmbeddedFiles[];

}  // namespace odp::web::internal
