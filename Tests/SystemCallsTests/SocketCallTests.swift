import SystemCalls
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Socket system calls")
struct SocketCallTests {
    @Test("descriptors travel with sendmsg/recvmsg and arrive close-on-exec")
    func descriptorPassing() throws {
        let (left, right) = try Posix.unixStreamSocketPair(nonBlocking: true)
        defer {
            Posix.close(left)
            Posix.close(right)
        }
        var pipeFDs: [Int32] = [-1, -1]
        #expect(pipe(&pipeFDs) == 0)
        defer {
            Posix.close(pipeFDs[0])
            Posix.close(pipeFDs[1])
        }
        let payload: [UInt8] = Array("with-fd".utf8)
        let sent = try payload.withUnsafeBytes { try Posix.send(left, $0, fileDescriptors: [pipeFDs[0]]) }
        guard case .done(let count) = sent else { Issue.record("send would block"); return }
        #expect(count == payload.count)
        var buffer = [UInt8](repeating: 0, count: 64)
        let received = try buffer.withUnsafeMutableBytes { try Posix.receive(right, into: $0) }
        guard case .done(let chunk) = received else { Issue.record("receive would block"); return }
        #expect(Array(buffer[0..<chunk.byteCount]) == payload)
        try #require(chunk.fileDescriptors.count == 1)
        let fd = chunk.fileDescriptors[0]
        defer { Posix.close(fd) }
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        // The received descriptor is the pipe's read end: data written to the pipe comes out of it.
        _ = write(pipeFDs[1], "z", 1)
        var byte: UInt8 = 0
        #expect(read(fd, &byte, 1) == 1 && byte == UInt8(ascii: "z"))
    }

    @Test("more than the kernel's 253 descriptors is refused with ENOBUFS")
    func tooManyDescriptors() throws {
        let (left, right) = try Posix.unixStreamSocketPair(nonBlocking: true)
        defer {
            Posix.close(left)
            Posix.close(right)
        }
        let fds = [Int32](repeating: 0, count: 254)
        #expect(throws: SystemCallError(call: "sendmsg", errno: ENOBUFS)) {
            _ = try [UInt8(1)].withUnsafeBytes { try Posix.send(left, $0, fileDescriptors: fds) }
        }
    }

    @Test("an empty non-blocking socket reports wouldBlock, a closed peer end-of-stream")
    func wouldBlockAndEOF() throws {
        let (left, right) = try Posix.unixStreamSocketPair(nonBlocking: true)
        defer { Posix.close(right) }
        var buffer = [UInt8](repeating: 0, count: 8)
        let empty = try buffer.withUnsafeMutableBytes { try Posix.receive(right, into: $0) }
        guard case .wouldBlock = empty else { Issue.record("expected wouldBlock"); return }
        Posix.close(left)
        let eof = try buffer.withUnsafeMutableBytes { try Posix.receive(right, into: $0) }
        guard case .done(let chunk) = eof else { Issue.record("expected end of stream"); return }
        #expect(chunk.byteCount == 0)
        // Writing to a closed peer is EPIPE, never SIGPIPE.
        #expect(throws: SystemCallError.self) { _ = try [UInt8(1)].withUnsafeBytes { try Posix.send(right, $0) } }
    }

    @Test("SO_PEERCRED names this process")
    func peerCredentials() throws {
        let (left, right) = try Posix.unixStreamSocketPair(nonBlocking: false)
        defer {
            Posix.close(left)
            Posix.close(right)
        }
        let credentials = try Posix.peerCredentials(left)
        #expect(credentials == PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid()))
    }

    @Test("abstract and path sockets bind, listen, accept; names that do not fit are refused")
    func bindAndAccept() throws {
        let name = "berth-socket-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let listener = try Posix.unixStreamSocket(nonBlocking: true)
        defer { Posix.close(listener) }
        try Posix.bindUnix(listener, name: name, abstract: true)
        try Posix.listen(listener, backlog: 8)
        #expect(try Posix.isListeningSocket(listener))
        guard case .wouldBlock = try Posix.accept(listener) else { Issue.record("nothing should be pending"); return }
        let client = try Posix.unixStreamSocket(nonBlocking: false)
        defer { Posix.close(client) }
        try Posix.connectUnix(client, name: name, abstract: true)
        #expect(try Posix.poll(listener, for: .readable, timeoutMilliseconds: 1000))
        guard case .done(let accepted) = try Posix.accept(listener) else {
            Issue.record("expected a connection"); return
        }
        Posix.close(accepted)
        let long = String(repeating: "n", count: Posix.unixPathMaximum + 1)
        let other = try Posix.unixStreamSocket(nonBlocking: false)
        defer { Posix.close(other) }
        #expect(throws: SystemCallError.self) { try Posix.bindUnix(other, name: long, abstract: false) }
    }

    @Test("epoll reports readiness by token and eventfd wakes it")
    func epollAndEventFD() throws {
        let epoll = try Linux.epollCreate()
        defer { Posix.close(epoll) }
        let wake = try Linux.eventFD()
        defer { Posix.close(wake) }
        try Linux.epollAdd(epoll, wake, interest: .readable, token: 42)
        let buffer = Linux.EpollBuffer(capacity: 8)
        var events: [EpollEvent] = []
        try Linux.epollWait(epoll, into: &events, buffer: buffer, timeoutMilliseconds: 0)
        #expect(events.isEmpty)
        Linux.eventFDSignal(wake)
        try Linux.epollWait(epoll, into: &events, buffer: buffer, timeoutMilliseconds: 1000)
        #expect(events.count == 1 && events.first?.token == 42 && events.first?.readable == true)
        Linux.eventFDDrain(wake)
        try Linux.epollWait(epoll, into: &events, buffer: buffer, timeoutMilliseconds: 0)
        #expect(events.isEmpty)
    }
}
