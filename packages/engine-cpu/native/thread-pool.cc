#include "thread-pool.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace atelier {
namespace {

struct Pool {
  std::mutex runLock;  // one parallelRun at a time (Node worker threads share the process pool)
  std::mutex m;
  std::condition_variable wake, done;
  std::vector<std::thread> workers;
  const Job* job = nullptr;
  int jobThreads = 0;
  unsigned long generation = 0;
  int pending = 0;
  bool stopping = false;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: workers may outlive static destructors at exit
  return *p;
}

thread_local bool insideRun = false;

void workerLoop(int tid, unsigned long seen) {
  Pool& p = pool();
  for (;;) {
    const Job* job;
    int n;
    {
      std::unique_lock<std::mutex> l(p.m);
      p.wake.wait(l, [&] { return p.stopping || p.generation != seen; });
      if (p.stopping) return;
      seen = p.generation;
      job = p.job;
      n = p.jobThreads;
    }
    if (tid < n) {
      insideRun = true;
      (*job)(tid, n);
      insideRun = false;
    }
    {
      std::lock_guard<std::mutex> l(p.m);
      if (--p.pending == 0) p.done.notify_one();
    }
  }
}

void stopWorkers(Pool& p) {
  {
    std::lock_guard<std::mutex> l(p.m);
    p.stopping = true;
  }
  p.wake.notify_all();
  for (auto& t : p.workers) t.join();
  p.workers.clear();
  p.stopping = false;
}

}  // namespace

void setThreadCount(int n) {
  if (n < 1) n = 1;
  Pool& p = pool();
  std::lock_guard<std::mutex> run(p.runLock);
  if (static_cast<int>(p.workers.size()) == n - 1) return;
  stopWorkers(p);
  unsigned long gen;
  {
    std::lock_guard<std::mutex> l(p.m);
    gen = p.generation;
  }
  for (int t = 1; t < n; t++) p.workers.emplace_back(workerLoop, t, gen);
}

int threadCount() {
  Pool& p = pool();
  std::lock_guard<std::mutex> run(p.runLock);
  return static_cast<int>(p.workers.size()) + 1;
}

void parallelRunJob(int want, const Job& fn) {
  Pool& p = pool();
  if (want <= 1 || insideRun) {
    fn(0, 1);
    return;
  }
  std::lock_guard<std::mutex> run(p.runLock);
  const int workers = static_cast<int>(p.workers.size());
  const int n = want < workers + 1 ? want : workers + 1;
  if (n <= 1) {
    fn(0, 1);
    return;
  }
  {
    std::lock_guard<std::mutex> l(p.m);
    p.job = &fn;
    p.jobThreads = n;
    p.pending = workers;
    p.generation++;
  }
  p.wake.notify_all();
  insideRun = true;
  fn(0, n);
  insideRun = false;
  std::unique_lock<std::mutex> l(p.m);
  p.done.wait(l, [&] { return p.pending == 0; });
  p.job = nullptr;
}

}  // namespace atelier
