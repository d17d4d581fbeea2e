import Foundation
import LeaseFiles
import NetAddress

// lease-files-bench: generates lease files and times the LeaseFiles parser on them.
//
//   lease-files-bench generate v4|v6 COUNT REWRITE% LEASES CONF [PREFIXLEN [scattered]] [--start=UNIX] [--lease-seconds=N]
//       --start: the first record's time (the records are a second apart); --lease-seconds: an
//       active lease's length. The defaults are a fixed start and one hour, a file whose active
//       leases have all ended (history only) once it is read after their end.
//   lease-files-bench parse FILE [CHUNK [noreduce]]  full parse (+ last-record-wins snapshot), prints timing
//   lease-files-bench pools CONF FILE [text]          dhcpd-pools' work: conf + leases -> per-range counts
#if canImport(Glibc)
    import Glibc
#endif

func fail(_ message: String) -> Never {
    let line = Array("lease-files-bench: \(message)\n".utf8)
    _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
    var done = 0
    while done < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
        if n <= 0 { fail("write: \(String(cString: strerror(errno)))") }
        done += n
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let flags = CommandLine.arguments.filter { $0.hasPrefix("--") }
let args = CommandLine.arguments.filter { !$0.hasPrefix("--") }

func flag(_ name: String) -> Int64? {
    guard let given = flags.first(where: { $0.hasPrefix("--\(name)=") }) else { return nil }
    guard let value = Int64(given.dropFirst(name.count + 3)) else { fail("\(given): not a whole number") }
    return value
}
guard args.count >= 2 else { fail("usage: generate v4|v6 COUNT REWRITE% LEASES CONF [PREFIXLEN [scattered]] | parse FILE [CHUNK]") }
switch args[1] {
case "generate":
    guard args.count >= 7, let count = Int(args[3]), let rewrite = Int(args[4]) else { fail("bad generate arguments") }
    var options = LeaseFileGenerator.Options(family: args[2] == "v6" ? .v6 : .v4, count: count, rewritePercent: rewrite)
    if args.count > 7, let length = Int(args[7]) { options.subnetPrefixLength = length }
    if args.count > 8 { options.scattered = args[8] == "scattered" }
    if let start = flag("start") { options.start = start }
    if let seconds = flag("lease-seconds") { options.leaseSeconds = seconds }
    let generator = LeaseFileGenerator(options: options)
    let fd = open(args[5], O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd < 0 { fail("\(args[5]): \(String(cString: strerror(errno)))") }
    generator.write { writeAll(fd, $0) }
    close(fd)
    let conf = Array(generator.dhcpdConf().utf8)
    let cfd = open(args[6], O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if cfd < 0 { fail("\(args[6]): \(String(cString: strerror(errno)))") }
    conf.withUnsafeBytes { writeAll(cfd, $0) }
    close(cfd)
case "parse":
    guard args.count >= 3 else { fail("parse FILE [CHUNK]") }
    let chunkSize = args.count > 3 ? Int(args[3]) ?? (4 << 20) : (4 << 20)
    let fd = open(args[2], O_RDONLY)
    if fd < 0 { fail("\(args[2]): \(String(cString: strerror(errno)))") }
    let started = now()
    var parser = LeaseFileParser(fileName: args[2])
    var snapshot = LeaseSnapshot(expectedLeases: 1 << 20)
    var records = 0
    var issues = 0
    var total = 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    let reduce = args.count <= 4 || args[4] != "noreduce"
    let onLease: (Lease, LeaseRecordPosition) -> Void = { lease, _ in
        records += 1
        if reduce { snapshot.apply(lease) }
    }
    let handle: (LeaseFileEvent) -> Void = { event in
        switch event {
        case .record(let r):
            records += 1
            if reduce { snapshot.apply(r.record) }
        case .issue:
            issues += 1
        }
    }
    while true {
        let n = read(fd, buffer.baseAddress!, chunkSize)
        if n < 0 { fail("read: \(String(cString: strerror(errno)))") }
        if n == 0 { break }
        total += n
        parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), leases: onLease, other: handle)
    }
    parser.finish(leases: onLease, other: handle)
    close(fd)
    let elapsed = now() - started
    let active = snapshot.leases.reduce(0) { $0 + ($1.bindingState == .active ? 1 : 0) }
    print(
        "records \(records) issues \(issues) distinct-v4 \(snapshot.leases.count) active \(active) "
            + "v6 \(snapshot.addresses6.count) bytes \(total)")
    print(
        String(
            format: "seconds %.3f  MB/s %.0f  records/s %.0f", elapsed, Double(total) / elapsed / 1e6,
            Double(records) / elapsed))
case "pools":
    // What `dhcpd-pools -c CONF -l FILE` does, through the API `smart-ipam report pools` uses.
    guard args.count >= 4 else { fail("pools CONF FILE") }
    let started = now()
    let result: (report: PoolUsageReport, issues: [LeaseFileIssue])
    do { result = try PoolUsageCounter.report(confPath: args[2], leasesPath: args[3]) } catch { fail("\(error)") }
    let elapsed = now() - started
    let report = result.report
    print(
        "ranges \(report.ranges.count) max \(report.total.max) cur \(report.total.current) "
            + "touch \(report.total.touched) issues \(result.issues.count)")
    print(String(format: "seconds %.3f", elapsed))
    if args.count > 4 && args[4] == "text" { print(report.dhcpdPoolsText(), terminator: "") }
default:
    fail("unknown command \(args[1])")
}
