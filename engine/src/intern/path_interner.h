// SPDX-License-Identifier: Apache-2.0
// Stores each distinct file path once, however many profiles name it, and
// hands out a small integer id for it. Shared by all worker threads: the
// paths are spread over shards, each with its own mutex, and workers cache
// the last path they saw (consecutive lines nearly always name the same
// file), so the lock is taken about once per file per profile.
#ifndef COVMERGE_INTERN_PATH_INTERNER_H_
#define COVMERGE_INTERN_PATH_INTERNER_H_

#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/bytes_equal.h"

namespace covmerge::internal {

class PathInterner {
 public:
  PathInterner() = default;
  PathInterner(const PathInterner&) = delete;
  PathInterner& operator=(const PathInterner&) = delete;

  // Returns the id of `path`, adding it on first sight. Thread-safe.
  uint32_t Intern(std::string_view path);

  // The path of an id returned by Intern. The view stays valid for the
  // interner's lifetime. Safe to call once no thread is interning.
  std::string_view Path(uint32_t id) const;

  // One past the largest id handed out; ids are dense within each shard
  // (id = index * kShards + shard), so some ids below this may be unused.
  uint32_t IdLimit() const;
  // Whether `id` was handed out.
  bool Contains(uint32_t id) const;

 private:
  static constexpr uint32_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::deque<std::string> storage;  // stable addresses for the views
    std::vector<std::string_view> paths;
    absl::flat_hash_map<std::string_view, uint32_t> ids;
  };
  Shard shards_[kShards];
};

// A worker's one-entry cache in front of the shared interner.
class PathCache {
 public:
  explicit PathCache(PathInterner* interner) : interner_(interner) {}

  uint32_t Intern(std::string_view path) {
    if (path.size() == last_.size() && has_last_ && BytesEqual(path.data(), last_.data(), path.size())) {
      return last_id_;
    }
    last_id_ = interner_->Intern(path);
    last_ = interner_->Path(last_id_);
    has_last_ = true;
    return last_id_;
  }

 private:
  PathInterner* interner_;
  std::string_view last_;  // points into the interner, never into an input
  uint32_t last_id_ = 0;
  bool has_last_ = false;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_INTERN_PATH_INTERNER_H_
