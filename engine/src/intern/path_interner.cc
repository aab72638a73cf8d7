// SPDX-License-Identifier: Apache-2.0
#include "intern/path_interner.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace covmerge::internal {

uint32_t PathInterner::Intern(std::string_view path) {
  // Remix the hash so the shard does not use the bits the map probes with.
  const uint64_t hash = absl::Hash<std::string_view>{}(path) * 0x9E3779B97F4A7C15ull;
  const uint32_t shard_index = static_cast<uint32_t>(hash >> 60) % kShards;
  Shard& shard = shards_[shard_index];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.ids.find(path);
  if (it != shard.ids.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(shard.paths.size()) * kShards + shard_index;
  std::string_view stored = shard.storage.emplace_back(path);
  shard.paths.push_back(stored);
  shard.ids.emplace(stored, id);
  return id;
}

std::string_view PathInterner::Path(uint32_t id) const {
  const Shard& shard = shards_[id % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  return shard.paths[id / kShards];
}

uint32_t PathInterner::IdLimit() const {
  uint32_t limit = 0;
  for (uint32_t s = 0; s < kShards; ++s) {
    std::lock_guard<std::mutex> lock(shards_[s].mutex);
    const uint32_t n = static_cast<uint32_t>(shards_[s].paths.size());
    if (n > 0) limit = std::max(limit, (n - 1) * kShards + s + 1);
  }
  return limit;
}

bool PathInterner::Contains(uint32_t id) const {
  const Shard& shard = shards_[id % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  return id / kShards < shard.paths.size();
}

}  // namespace covmerge::internal
