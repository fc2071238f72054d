import Foundation

/// Writes files so readers see either the old or the new content, never a half-written one.
enum AtomicFile {
    /// Writes `data` to a temporary file next to `url` (same file system), flushes it, then renames it
    /// over `url`. The original file's permissions are kept.
    /// - Throws: ``NotebookError/writeFailed(file:reason:)`` naming `name`.
    static func write(_ data: Data, to url: URL, name: String) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let manager = FileManager.default
        guard manager.createFile(atPath: temporary.path, contents: nil) else {
            throw NotebookError.writeFailed(file: name, reason: "cannot create \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if let permissions = try manager.attributesOfItem(atPath: url.path)[.posixPermissions] {
                try manager.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            }
        } catch {
            try? manager.removeItem(at: temporary)
            throw NotebookError.writeFailed(file: name, reason: error.localizedDescription)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(at: temporary)
            throw NotebookError.writeFailed(file: name, reason: "rename failed: \(reason)")
        }
    }
}
