#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `HDF5File` and `HDF5Seal` have their own `open` and `close`; these name the POSIX calls
// unambiguously for the whole module.
#if canImport(Glibc)
func posixOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
func posixClose(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
#elseif canImport(Darwin)
func posixOpen(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
func posixClose(_ descriptor: Int32) -> Int32 { Darwin.close(descriptor) }
#endif
