// One fixed pool of worker threads for every native kernel. Its size is a setting (default 1:
// the caller's thread only); kernels never start threads of their own.
#pragma once
#include <type_traits>
#include <utility>

namespace atelier {

/** Resize the pool (joins or starts workers). n >= 1 counts the calling thread. */
void setThreadCount(int n);
int threadCount();

/**
 * Run fn(tid, n) on n = min(want, threadCount()) threads (the caller is tid 0) and wait for all.
 * Calls from several JS threads at once are serialised; a call while the pool is busy on this
 * thread (nested) runs inline on one thread.
 */
// A non-owning callable reference: parallelRun never copies or allocates for the job it runs.
struct Job {
  void* obj;
  void (*call)(void* obj, int tid, int n);
  void operator()(int tid, int n) const { call(obj, tid, n); }
};

void parallelRunJob(int want, const Job& job);

template <typename F>
void parallelRun(int want, F&& fn) {
  using Fn = std::remove_reference_t<F>;
  parallelRunJob(want, Job{const_cast<void*>(static_cast<const void*>(&fn)), [](void* o, int tid, int n) { (*static_cast<Fn*>(o))(tid, n); }});
}

}  // namespace atelier
