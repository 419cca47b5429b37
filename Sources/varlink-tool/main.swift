import Varlink
import VarlinkCLI

// Synchronous main: the command runs on this thread (CurrentThreadExecutor), with no thread pool to start.
CurrentThreadExecutor.run { await VarlinkTool.runMain() }
