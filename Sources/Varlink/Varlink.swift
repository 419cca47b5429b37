// Varlink: the wire protocol, a server and a client over AF_UNIX.
//
// Where code runs. A program built on this library has at most three execution contexts:
//
// 1. The I/O loop. A `VarlinkServer` runs one epoll loop on one thread (`runOnCurrentThread()`, or a
//    thread of its own with `run()`). It accepts, reads, decodes, writes, and it runs the handlers:
//    `handleImmediately` synchronously, `handle` as a task whose executor is the loop (`ServerCore`
//    is a `TaskExecutor`), so a handler's code between two `await`s runs on the loop thread, between
//    two rounds of socket I/O. Handlers therefore must not block. Clients that must not block either
//    (tasks on Swift's cooperative pool: a library user's async code) wait for their sockets on the
//    clients' I/O loop (`ClientIOLoop`, one epoll thread per process, started on first need), which
//    runs no client code: it only resumes the waiting task, which then reads or writes without blocking.
//
// 2. One executor for blocking work. berthd's engine work (file I/O, fsync, loop devices, sd-bus job
//    waits) runs on `BerthService.EngineExecutor`, a few threads of its own that may block; nothing else
//    blocks anywhere.
//
// 3. The caller's. A command-line tool runs its async main on its main thread (`CurrentThreadExecutor`):
//    no thread pool is started, and because that thread has nothing else to do it may block
//    (`BlockingThreads`): the client does its socket I/O inline there, and engine work that berthctl
//    runs in process (`--root`) runs in place too. Elsewhere, a caller's code runs wherever its task
//    runs; the client never blocks it.
//
// Which of these a client uses is not public API: `VarlinkClient.connect(to:)` is the one entry point,
// and each call looks at the thread it runs on.
