import CReferenceReceiver

#if canImport(Glibc)
import Glibc
#endif

/// Which CPU a process or the calling thread runs on. This machine's CPUs drift in speed each on its own
/// (one at 14k verify+sign pairs per second while the other is at 8k, switching every second or so), so a
/// bound is only comparable with a tracker measured on the same CPU.
enum CPUPinning {
    /// CPUs online.
    static var online: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Keeps every thread of process `pid` on `cpu`; false when the system refuses.
    static func pin(process pid: Int32, to cpu: Int) -> Bool {
        let threads = BenchProcess.threads(of: pid)
        return !threads.isEmpty && threads.allSatisfy { reference_pin_to_cpu($0, Int32(cpu)) == 0 }
    }

    /// Keeps the calling thread on `cpu`; false when the system refuses.
    static func pinCallingThread(to cpu: Int) -> Bool {
        reference_pin_to_cpu(0, Int32(cpu)) == 0
    }

    /// Lets the calling thread run on any CPU again; false when the system refuses.
    static func unpinCallingThread() -> Bool {
        reference_pin_to_cpu(0, -1) == 0
    }
}
