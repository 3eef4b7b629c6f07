// A gRPC callback-API message allocator that puts each call's request and
// response on a protobuf arena, reused from call to call.
//
// Without it gRPC creates the messages with their fields on the heap: the
// request parse and the response build (the assessment's ~115 strings and
// repeated fields) cost about 150 malloc/free pairs a call, and under load
// glibc's malloc spends its time consolidating the freed chunks. With it,
// every field of both messages is bump-allocated from one block that is
// reset, not freed, when the call is done.
//
// Holders (a block and its arena) are pooled: Release() resets the arena
// (keeping the first block) and returns the holder to a bounded free list,
// so the steady state allocates nothing per call. A call whose messages
// outgrow the first block takes further blocks from the heap; the arena
// frees those on reset.
//
// Must outlive the server it is registered with, as gRPC requires of a
// MessageAllocator. Thread-safe.
//
// Example:
//   ArenaMessageAllocator<Req, Resp> allocator;  // a service member
//   SetMessageAllocatorFor_IngestTicket(&allocator);  // in its constructor
#ifndef CSE_SIDECAR_SERVER_ARENA_MESSAGE_ALLOCATOR_H_
#define CSE_SIDECAR_SERVER_ARENA_MESSAGE_ALLOCATOR_H_

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace cse::server {

template <typename Request, typename Response>
class ArenaMessageAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  // `block_bytes`: each holder's first arena block, enough for a typical
  // call (a 1 KB ticket and its assessment use 4-9 KB of arena, 10 KB
  // with options.explain). At most
  // `max_pooled` idle holders are kept; more concurrent calls than that
  // allocate holders that are freed when they finish.
  explicit ArenaMessageAllocator(size_t block_bytes = 16 * 1024,
                                 size_t max_pooled = 128)
      : block_bytes_(block_bytes), max_pooled_(max_pooled) {}

  ~ArenaMessageAllocator() override {
    for (Holder* h : free_) delete h;
  }

  ArenaMessageAllocator(const ArenaMessageAllocator&) = delete;
  ArenaMessageAllocator& operator=(const ArenaMessageAllocator&) = delete;

  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    Holder* holder = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        holder = free_.back();
        free_.pop_back();
      }
    }
    if (holder == nullptr) holder = new Holder(this, block_bytes_);
    holder->Start();
    return holder;
  }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder(ArenaMessageAllocator* owner, size_t block_bytes)
        : owner_(owner),
          block_(new char[block_bytes]),
          arena_(Options(block_.get(), block_bytes)) {}

    void Start() {
      this->set_request(
          google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(
          google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }

    // gRPC is done with both messages (the response is on the wire).
    void Release() override {
      arena_.Reset();
      owner_->Recycle(this);
    }

   private:
    static google::protobuf::ArenaOptions Options(char* block, size_t bytes) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = bytes;
      return options;
    }

    ArenaMessageAllocator* const owner_;
    // Declared before the arena, which uses it, so it is destroyed after.
    const std::unique_ptr<char[]> block_;
    google::protobuf::Arena arena_;
  };

  void Recycle(Holder* holder) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (free_.size() < max_pooled_) {
        free_.push_back(holder);
        return;
      }
    }
    delete holder;
  }

  const size_t block_bytes_;
  const size_t max_pooled_;
  // A std::mutex rather than absl::Mutex: a few instructions on the hot
  // path, with nothing to gain from absl's deadlock detection.
  std::mutex mu_;
  std::vector<Holder*> free_;  // guarded by mu_
};

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_ARENA_MESSAGE_ALLOCATOR_H_
