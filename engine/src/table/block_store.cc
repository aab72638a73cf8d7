// SPDX-License-Identifier: Apache-2.0
#include "table/block_store.h"

#include "absl/hash/hash.h"

namespace covmerge::internal {

BlockStore::File* BlockStore::Intern(std::string_view path) {
  // Remix the hash so the shard does not use the bits the map probes with.
  const uint64_t hash = absl::Hash<std::string_view>{}(path) * 0x9E3779B97F4A7C15ull;
  Shard& shard = shards_[(hash >> 58) % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.by_path.find(path);
  if (it != shard.by_path.end()) return it->second;
  File* file = &shard.files.emplace_back(path);
  shard.by_path.emplace(file->path, file);
  return file;
}

std::vector<BlockStore::File*> BlockStore::Files() {
  std::vector<File*> files;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    for (File& file : shard.files) files.push_back(&file);
  }
  return files;
}

}  // namespace covmerge::internal
