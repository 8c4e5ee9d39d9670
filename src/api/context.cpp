#include "api/context.h"

namespace odp::api {

std::shared_ptr<const std::string> GenerationCache::Get(std::string_view key, int64_t generation,
                                                        std::string* label) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.generation != generation) return nullptr;
  const Entry& e = it->second;
  if (e.expires != std::chrono::steady_clock::time_point{} &&
      std::chrono::steady_clock::now() >= e.expires) {
    return nullptr;
  }
  if (label) *label = e.label;
  if (e.on_serve) e.on_serve();
  return e.text;
}

std::shared_ptr<const std::string> GenerationCache::Put(std::string key, int64_t generation,
                                                        std::string text, std::string label,
                                                        PutOptions options) {
  auto shared = std::make_shared<const std::string>(std::move(text));
  const size_t size = key.size() + shared->size() + label.size();
  if (size > max_bytes_ / 8) return shared;  // too big to be worth a place
  std::unique_lock lock(mu_);
  if (entries_.size() >= max_entries_ || bytes_ + size > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  auto [it, inserted] = entries_.try_emplace(std::move(key));
  if (!inserted) bytes_ -= it->first.size() + it->second.text->size() + it->second.label.size();
  std::chrono::steady_clock::time_point expires{};
  if (options.max_age.count() > 0) expires = std::chrono::steady_clock::now() + options.max_age;
  it->second = {generation, shared, std::move(label), expires, std::move(options.on_serve)};
  bytes_ += size;
  return shared;
}

size_t GenerationCache::bytes() const {
  std::shared_lock lock(mu_);
  return bytes_;
}

}  // namespace odp::api
