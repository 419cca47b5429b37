import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Connections on the I/O thread: accepting them within the caps, forgetting them, and flushing their
/// output (own replies first, then a slice of the fan-out lane).
extension ServerCore {
    func acceptConnections(from listener: Int32) {
        // Bounded so one busy listener cannot starve established connections.
        for _ in 0..<64 {
            guard accepting, !draining else { return }
            let accepted: IOResult<Int32>
            do { accepted = try Posix.accept(listener) } catch { return }
            guard case .done(let fd) = accepted else { return }
            try? addConnection(fd)
        }
    }

    func addConnection(_ fd: Int32) throws(SystemCallError) {
        guard connections.count < effectiveMaximumConnections else {
            // Over the cap: refuse by closing, as sd-varlink does.
            Posix.close(fd)
            return
        }
        let peer: PeerCredentials
        do { peer = try Posix.peerCredentials(fd) } catch {
            Posix.close(fd)
            throw error
        }
        if let perUID = configuration.maximumConnectionsPerUID, connectionsPerUID[peer.uid, default: 0] >= perUID {
            Posix.close(fd)
            return
        }
        let id = nextConnectionID
        nextConnectionID += 1
        let connection = ServerConnection(core: self, id: id, fd: fd, peer: peer, now: Posix.monotonicNanoseconds())
        do {
            try Linux.epollAdd(epollFD, fd, interest: .readable, token: id)
        } catch {
            Posix.close(fd)
            throw error
        }
        connections[id] = connection
        connectionsPerUID[peer.uid, default: 0] += 1
        publishCounters()
    }

    /// Forgets a connection (the connection closes or hands over its own descriptor).
    func removeConnection(_ connection: ServerConnection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        let uid = connection.peer.uid
        if let count = connectionsPerUID[uid], count > 1 {
            connectionsPerUID[uid] = count - 1
        } else {
            connectionsPerUID[uid] = nil
        }
        publishCounters()
    }

    func markDirty(_ connection: ServerConnection, fanOut isFanOut: Bool = false) {
        if isFanOut {
            guard !connection.isDirty else { return }
            connection.isFanOutDirty = true
            connection.isDirty = true
            fanOut.append(connection)
        } else if !connection.isDirty || connection.isFanOutDirty {
            // Output of its own moves the connection out of the fan-out lane; its bytes stay behind
            // the events already queued, so the order on the wire does not change.
            connection.isFanOutDirty = false
            connection.isDirty = true
            dirty.append(connection)
        }
    }

    func flushDirty() {
        while !dirty.isEmpty {
            let batch = dirty
            dirty.removeAll(keepingCapacity: true)
            for connection in batch {
                connection.isDirty = false
                connection.flush()
            }
        }
        var budget = Self.fanOutSlice
        while budget > 0 && fanOutNext < fanOut.count {
            let connection = fanOut[fanOutNext]
            fanOutNext += 1
            // Moved to `dirty` meanwhile, and flushed there.
            guard connection.isFanOutDirty else { continue }
            budget -= 1
            connection.isFanOutDirty = false
            connection.isDirty = false
            connection.flush()
        }
        if fanOutNext == fanOut.count {
            fanOut.removeAll(keepingCapacity: true)
            fanOutNext = 0
        }
    }
}
