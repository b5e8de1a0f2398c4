import Foundation

/// The result of running the built `diversion` executable.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Where `swift build` put the `diversion` executable (next to the test bundle).
public let diversionExecutable: String = {
    let candidates = [
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("diversion").path,
        Bundle.main.bundleURL.appendingPathComponent("diversion").path,
        packageRoot + "/.build/debug/diversion",
        packageRoot + "/.build/release/diversion",
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[2]
}()

/// Runs `diversion` with `arguments` in `directory` (default: the package root) and waits for it.
public func runDiversion(_ arguments: [String], in directory: String = packageRoot,
                         environment: [String: String] = [:]) throws -> CommandResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: diversionExecutable)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    // NB: output goes to files, not pipes, so a chatty child can never block on a full pipe.
    let dir = temporaryFolder("diversion-run")
    defer { cleanUp(dir) }
    FileManager.default.createFile(atPath: dir + "/out", contents: nil)
    FileManager.default.createFile(atPath: dir + "/err", contents: nil)
    let out = FileHandle(forWritingAtPath: dir + "/out")!, err = FileHandle(forWritingAtPath: dir + "/err")!
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    try? out.close(); try? err.close()
    let outData = FileManager.default.contents(atPath: dir + "/out") ?? Data()
    let errData = FileManager.default.contents(atPath: dir + "/err") ?? Data()
    return CommandResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}
