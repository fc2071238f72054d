import CMuJoCo
import Environments

/// How `driftlab env show` looks at a task: camera angles in degrees and the width shown in
/// metres; the camera follows the first body below the world (the torso, the cart, the arm's
/// base).
public struct MuJoCoCamera: Sendable {
    public var azimuth: Double
    public var elevation: Double
    public var extent: Double

    public init(azimuth: Double, elevation: Double, extent: Double) {
        self.azimuth = azimuth
        self.elevation = elevation
        self.extent = extent
    }

    /// A side view (x to the right, z up), for the planar tasks.
    public static func side(extent: Double) -> MuJoCoCamera { MuJoCoCamera(azimuth: 0, elevation: 0, extent: extent) }
    /// A view from above.
    public static func top(extent: Double) -> MuJoCoCamera { MuJoCoCamera(azimuth: 0, elevation: 90, extent: extent) }
}

extension MuJoCoTask {
    /// Default camera: from the front-left and a little above, 4 m across.
    public static var camera: MuJoCoCamera { MuJoCoCamera(azimuth: 30, elevation: 20, extent: 4) }
}

extension Ant { public static var camera: MuJoCoCamera { MuJoCoCamera(azimuth: 30, elevation: 30, extent: 4) } }
extension HalfCheetah { public static var camera: MuJoCoCamera { .side(extent: 3) } }
extension Hopper { public static var camera: MuJoCoCamera { .side(extent: 3) } }
extension Walker2d { public static var camera: MuJoCoCamera { .side(extent: 3) } }
extension Humanoid { public static var camera: MuJoCoCamera { MuJoCoCamera(azimuth: 20, elevation: 10, extent: 4.2) } }
extension Reacher { public static var camera: MuJoCoCamera { .top(extent: 0.8) } }
extension InvertedPendulum { public static var camera: MuJoCoCamera { .side(extent: 2.5) } }
extension Swimmer { public static var camera: MuJoCoCamera { .top(extent: 2.5) } }
extension Fetch { public static var camera: MuJoCoCamera { MuJoCoCamera(azimuth: 30, elevation: 35, extent: 8) } }
extension UR5e { public static var camera: MuJoCoCamera { MuJoCoCamera(azimuth: 30, elevation: 20, extent: 2.2) } }
extension Grasp { public static var camera: MuJoCoCamera { MuJoCoCamera(azimuth: 30, elevation: 25, extent: 3) } }

extension MuJoCoEnvironment: SceneEnvironment {
    /// Every visible geom (alpha > 0) at its current pose, with the task's camera following
    /// body 1. Height fields and meshes are not drawn.
    public func scene() -> Scene {
        let m = simulation.model.pointer.pointee
        var shapes: [SceneShape] = []
        for g in 0..<simulation.model.ngeom {
            let size = SIMD3(m.geom_size[3 * g], m.geom_size[3 * g + 1], m.geom_size[3 * g + 2])
            let kind: SceneShape.Kind
            switch Int32(m.geom_type[g]) {
            case Int32(mjGEOM_PLANE.rawValue): kind = .plane
            case Int32(mjGEOM_SPHERE.rawValue): kind = .sphere(radius: size.x)
            case Int32(mjGEOM_CAPSULE.rawValue): kind = .capsule(radius: size.x, halfLength: size.y)
            case Int32(mjGEOM_CYLINDER.rawValue): kind = .cylinder(radius: size.x, halfLength: size.y)
            case Int32(mjGEOM_ELLIPSOID.rawValue): kind = .ellipsoid(radii: size)
            case Int32(mjGEOM_BOX.rawValue): kind = .box(halfSizes: size)
            default: continue
            }
            let material = Int(m.geom_matid[g])
            let rgba = material >= 0 ? m.mat_rgba + 4 * material : m.geom_rgba + 4 * g
            let color = SIMD4(Double(rgba[0]), Double(rgba[1]), Double(rgba[2]), Double(rgba[3]))
            guard color.w > 0 else { continue }
            let p = simulation.geomXpos
            shapes.append(SceneShape(kind: kind, position: SIMD3(p[3 * g], p[3 * g + 1], p[3 * g + 2]),
                                     rotation: Array(simulation.geomXmat[(9 * g)..<(9 * g + 9)]), color: color))
        }
        let x = simulation.xpos
        let focus = simulation.model.nbody > 1 ? SIMD3(x[3], x[4], x[5]) : SIMD3<Double>(0, 0, 0)
        let camera = T.camera
        return Scene(shapes: shapes, view: SceneView(focus: focus, azimuth: camera.azimuth, elevation: camera.elevation,
                                                     extent: camera.extent))
    }
}
