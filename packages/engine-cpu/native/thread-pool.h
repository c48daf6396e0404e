// One fixed pool of worker threads for every native kernel. Its size is a setting (default 1:
// the caller's thread only); kernels never start threads of their own.
#pragma once
#include <functional>

namespace atelier {

/** Resize the pool (joins or starts workers). n >= 1 counts the calling thread. */
void setThreadCount(int n);
int threadCount();

/**
 * Run fn(tid, n) on n = min(want, threadCount()) threads (the caller is tid 0) and wait for all.
 * Calls from several JS threads at once are serialised; a call while the pool is busy on this
 * thread (nested) runs inline on one thread.
 */
void parallelRun(int want, const std::function<void(int tid, int n)>& fn);

}  // namespace atelier
