// SPDX-License-Identifier: Apache-2.0
#include "table/block_store.h"

#include <algorithm>
#include <cstring>

#include "absl/hash/hash.h"

namespace covmerge::internal {

BlockStore::BlockStore() {
  for (Shard& shard : shards_) {
    shard.indexes.push_back(std::make_unique<Index>(kFirstSlots));
    shard.index.store(shard.indexes.back().get(), std::memory_order_release);
  }
}

BlockStore::~BlockStore() = default;

uint64_t BlockStore::Hash(std::string_view path) {
  // Remixed, so the shard (the top bits) does not take the bits the index
  // probes with (the bottom ones); never 0, which marks an empty slot.
  const uint64_t hash = absl::Hash<std::string_view>{}(path) * 0x9E3779B97F4A7C15ull;
  return hash == 0 ? 1 : hash;
}

BlockStore::File* BlockStore::Find(const Index& index, std::string_view path, uint64_t hash) {
  for (size_t i = hash & index.mask;; i = (i + 1) & index.mask) {
    const uint64_t h = index.slots[i].hash.load(std::memory_order_acquire);
    if (h == 0) return nullptr;
    if (h == hash) {
      File* file = index.slots[i].file.load(std::memory_order_relaxed);
      if (file->path == path) return file;
    }
  }
}

void BlockStore::Place(Index* index, uint64_t hash, File* file) {
  size_t i = hash & index->mask;
  while (index->slots[i].hash.load(std::memory_order_relaxed) != 0) i = (i + 1) & index->mask;
  index->slots[i].file.store(file, std::memory_order_relaxed);
  index->slots[i].hash.store(hash, std::memory_order_release);  // the file is visible first
}

void BlockStore::Grow(Shard* shard) {
  const Index& old = *shard->indexes.back();
  auto bigger = std::make_unique<Index>((old.mask + 1) * 2);
  for (size_t i = 0; i <= old.mask; ++i) {
    const uint64_t h = old.slots[i].hash.load(std::memory_order_relaxed);
    if (h != 0) Place(bigger.get(), h, old.slots[i].file.load(std::memory_order_relaxed));
  }
  shard->index.store(bigger.get(), std::memory_order_release);
  shard->indexes.push_back(std::move(bigger));
}

BlockStore::File* BlockStore::Intern(std::string_view path, uint64_t hash) {
  Shard& shard = ShardOf(hash);
  if (File* file = Find(*shard.index.load(std::memory_order_acquire), path, hash)) return file;
  std::lock_guard<std::mutex> lock(shard.mutex);
  // Another thread may have added it since the lock-free look.
  if (File* file = Find(*shard.indexes.back(), path, hash)) return file;
  if ((shard.used + 1) * 2 > shard.indexes.back()->mask + 1) Grow(&shard);
  File* file = &shard.files.emplace_back(CopyPath(&shard, path), static_cast<uint8_t>(hash));
  Place(shard.indexes.back().get(), hash, file);
  ++shard.used;
  return file;
}

std::string_view BlockStore::CopyPath(Shard* shard, std::string_view path) {
  if (path.size() > shard->path_room) {
    // Chunks grow with the shard, so a small merge holds a few KB of them.
    constexpr size_t kMinChunk = 4 << 10, kMaxChunk = 256 << 10;
    const size_t chunk = std::max(
        path.size(), std::clamp<size_t>(shard->path_chunks.size() * kMinChunk, kMinChunk, kMaxChunk));
    shard->path_chunks.emplace_back(new char[chunk]);
    shard->path_next = shard->path_chunks.back().get();
    shard->path_room = chunk;
  }
  char* bytes = shard->path_next;
  if (!path.empty()) std::memcpy(bytes, path.data(), path.size());
  shard->path_next += path.size();
  shard->path_room -= path.size();
  return {bytes, path.size()};
}

void BlockStore::PrefetchSlot(uint64_t hash) const {
  const Index* index = ShardOf(hash).index.load(std::memory_order_acquire);
  __builtin_prefetch(&index->slots[hash & index->mask]);
}

BlockStore::File* BlockStore::Candidate(uint64_t hash) const {
  const Index& index = *ShardOf(hash).index.load(std::memory_order_acquire);
  for (size_t i = hash & index.mask;; i = (i + 1) & index.mask) {
    const uint64_t h = index.slots[i].hash.load(std::memory_order_acquire);
    if (h == 0) return nullptr;
    if (h == hash) return index.slots[i].file.load(std::memory_order_relaxed);
  }
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
