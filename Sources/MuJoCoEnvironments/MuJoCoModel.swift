import CMuJoCo
import Foundation

/// A compiled MuJoCo model (`mjModel`), immutable once loaded, so one instance is shared by
/// every simulation of a task and read from several threads at once.
public final class MuJoCoModel: @unchecked Sendable {
    /// The model, owned: freed with this object.
    public let pointer: UnsafeMutablePointer<mjModel>
    /// The file it was compiled from (named in every error about it).
    public let path: String

    /// Compiles the MJCF file at `url`. Throws `MuJoCoError.modelFileMissing` when there is
    /// no such file and `.invalidModel` with MuJoCo's message when it does not compile.
    public init(contentsOf url: URL) throws {
        path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw MuJoCoError.modelFileMissing(path: path) }
        var message = [CChar](repeating: 0, count: 1024)
        let loaded = message.withUnsafeMutableBufferPointer { buffer in
            mj_loadXML(url.path, nil, buffer.baseAddress, Int32(buffer.count))
        }
        guard let loaded else {
            let text = String(decoding: message.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw MuJoCoError.invalidModel(path: path, message: text.isEmpty ? "unknown error" : text)
        }
        pointer = loaded
    }

    deinit { mj_deleteModel(pointer) }

    /// Generalised coordinates.
    public var nq: Int { Int(pointer.pointee.nq) }
    /// Degrees of freedom.
    public var nv: Int { Int(pointer.pointee.nv) }
    /// Actuators.
    public var nu: Int { Int(pointer.pointee.nu) }
    /// Actuator activations (0 for plain motors).
    public var na: Int { Int(pointer.pointee.na) }
    /// Bodies, the world body included.
    public var nbody: Int { Int(pointer.pointee.nbody) }
    /// Geoms.
    public var ngeom: Int { Int(pointer.pointee.ngeom) }
    /// Mocap bodies.
    public var nmocap: Int { Int(pointer.pointee.nmocap) }
    /// Physics timestep in seconds.
    public var timestep: Double { pointer.pointee.opt.timestep }
    /// Integrator name: "Euler", "RK4" or "implicit".
    public var integrator: String {
        switch Int32(pointer.pointee.opt.integrator) {
        case Int32(mjINT_EULER.rawValue): "Euler"
        case Int32(mjINT_RK4.rawValue): "RK4"
        default: "implicit"
        }
    }

    /// The reference configuration `qpos0`, `[nq]`.
    public var referencePositions: [Double] { Array(UnsafeBufferPointer(start: pointer.pointee.qpos0, count: nq)) }

    /// Each actuator's control range (low, high); unlimited actuators report (-inf, inf).
    public var controlRanges: [(low: Double, high: Double)] {
        (0..<nu).map { i in
            pointer.pointee.actuator_ctrllimited[i] != 0
                ? (pointer.pointee.actuator_ctrlrange[2 * i], pointer.pointee.actuator_ctrlrange[2 * i + 1])
                : (-.infinity, .infinity)
        }
    }

    /// Index of the object `name` of `type`; throws `.modelMismatch` naming it when absent.
    func id(of type: mjtObj, _ name: String, kind: String) throws -> Int {
        let found = Int(mj_name2id(pointer, Int32(type.rawValue), name))
        guard found >= 0 else { throw MuJoCoError.modelMismatch(path: path, reason: "it has no \(kind) named '\(name)'") }
        return found
    }

    /// Index of body `name`.
    public func bodyID(_ name: String) throws -> Int { try id(of: mjOBJ_BODY, name, kind: "body") }
    /// Index of joint `name`.
    public func jointID(_ name: String) throws -> Int { try id(of: mjOBJ_JOINT, name, kind: "joint") }
    /// Index of site `name`.
    public func siteID(_ name: String) throws -> Int { try id(of: mjOBJ_SITE, name, kind: "site") }
    /// Index of geom `name`.
    public func geomID(_ name: String) throws -> Int { try id(of: mjOBJ_GEOM, name, kind: "geom") }

    /// Address of joint `name`'s first coordinate in `qpos`.
    public func qposAddress(ofJoint name: String) throws -> Int {
        Int(pointer.pointee.jnt_qposadr[try jointID(name)])
    }
    /// Address of joint `name`'s first degree of freedom in `qvel`.
    public func qvelAddress(ofJoint name: String) throws -> Int {
        Int(pointer.pointee.jnt_dofadr[try jointID(name)])
    }
    /// Index of the mocap slot of body `name` (throws when the body is not a mocap body).
    public func mocapID(ofBody name: String) throws -> Int {
        let slot = Int(pointer.pointee.body_mocapid[try bodyID(name)])
        guard slot >= 0 else { throw MuJoCoError.modelMismatch(path: path, reason: "body '\(name)' is not a mocap body") }
        return slot
    }

    /// Total mass of the bodies (the world body has none).
    public var totalMass: Double { (0..<nbody).reduce(0) { $0 + pointer.pointee.body_mass[$1] } }

    /// Throws `.modelMismatch` unless the model has these dimensions: a task's observation
    /// layout depends on them.
    public func require(nq: Int, nv: Int, nu: Int, nbody: Int? = nil) throws {
        var wrong: [String] = []
        if self.nq != nq { wrong.append("nq \(self.nq), expected \(nq)") }
        if self.nv != nv { wrong.append("nv \(self.nv), expected \(nv)") }
        if self.nu != nu { wrong.append("nu \(self.nu), expected \(nu)") }
        if let nbody, self.nbody != nbody { wrong.append("nbody \(self.nbody), expected \(nbody)") }
        guard wrong.isEmpty else { throw MuJoCoError.modelMismatch(path: path, reason: wrong.joined(separator: "; ")) }
    }

    /// MuJoCo's library version, e.g. "2.2.2".
    public static var libraryVersion: String { String(cString: mj_versionString()) }
}
