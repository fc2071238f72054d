/// A 3D picture of a physics task's current state, independent of any renderer: solid shapes
/// in world coordinates and a suggested camera. `driftlab env show` projects it with Cairo
/// (no OpenGL needed).
public struct Scene: Sendable, Equatable {
    /// The shapes, in the model's order.
    public var shapes: [SceneShape]
    /// Where to look from.
    public var view: SceneView

    public init(shapes: [SceneShape], view: SceneView) {
        self.shapes = shapes
        self.view = view
    }
}

/// One solid: its kind and size, pose and colour.
public struct SceneShape: Sendable, Equatable {
    /// Geometry, sizes in metres (MuJoCo's conventions: half-lengths along the local z axis).
    public enum Kind: Sendable, Equatable {
        /// An infinite ground plane through `position` with normal along the local z axis.
        case plane
        case sphere(radius: Double)
        case capsule(radius: Double, halfLength: Double)
        case cylinder(radius: Double, halfLength: Double)
        case ellipsoid(radii: SIMD3<Double>)
        case box(halfSizes: SIMD3<Double>)
    }

    public var kind: Kind
    /// Centre in world coordinates.
    public var position: SIMD3<Double>
    /// Orientation: the local axes as the columns of a row-major 3x3 matrix (`[9]`).
    public var rotation: [Double]
    /// RGBA in [0, 1].
    public var color: SIMD4<Double>

    public init(kind: Kind, position: SIMD3<Double>, rotation: [Double], color: SIMD4<Double>) {
        self.kind = kind
        self.position = position
        self.rotation = rotation
        self.color = color
    }

    /// `local` (in the shape's frame) in world coordinates.
    public func world(_ local: SIMD3<Double>) -> SIMD3<Double> {
        let r = rotation
        return position + SIMD3(r[0] * local.x + r[1] * local.y + r[2] * local.z,
                                r[3] * local.x + r[4] * local.y + r[5] * local.z,
                                r[6] * local.x + r[7] * local.y + r[8] * local.z)
    }
}

/// An orthographic camera: it looks at `focus` from the direction given by `azimuth` (degrees
/// around +z, 0 = looking along +y, so x points right) and `elevation` (degrees above the
/// ground plane; 90 looks straight down), showing `extent` metres across.
public struct SceneView: Sendable, Equatable {
    public var focus: SIMD3<Double>
    public var azimuth: Double
    public var elevation: Double
    public var extent: Double

    public init(focus: SIMD3<Double>, azimuth: Double, elevation: Double, extent: Double) {
        self.focus = focus
        self.azimuth = azimuth
        self.elevation = elevation
        self.extent = extent
    }
}

/// An environment that can describe its state as a `Scene`.
public protocol SceneEnvironment: Environment {
    /// The current state as shapes and a camera.
    func scene() -> Scene
}

/// A `EnvironmentBatch` whose environments can be drawn as scenes (MuJoCo tasks).
public protocol SceneEnvironmentBatch: EnvironmentBatch {
    /// Environment `index`'s current state as a scene.
    func scene(of index: Int) -> Scene
}

extension VectorEnvironment: SceneEnvironmentBatch where E: SceneEnvironment {
    public func scene(of index: Int) -> Scene { environment(index).scene() }
}
