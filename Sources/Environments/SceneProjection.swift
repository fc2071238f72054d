import Foundation

/// A `Scene` flattened by its orthographic camera into filled 2D outlines, farthest first
/// (painter's order), in metres on the view plane: x to the right, y up, (0, 0) at the
/// camera's focus. Every solid becomes a convex outline (its silhouette), sampled finely
/// enough that a renderer only fills polygons.
public struct SceneProjection: Sendable {
    /// One filled outline.
    public struct Outline: Sendable, Equatable {
        public var points: [SIMD2<Double>]
        /// RGBA in [0, 1].
        public var color: SIMD4<Double>
        /// Distance along the view direction (larger is farther).
        public var depth: Double
    }

    /// The outlines, farthest first.
    public let outlines: [Outline]
    /// Half the visible width in metres.
    public let halfExtent: Double

    public init(_ scene: Scene) {
        let view = scene.view
        let a = view.azimuth * .pi / 180, e = view.elevation * .pi / 180
        let forward = SIMD3(sin(a) * cos(e), cos(a) * cos(e), -sin(e))
        let right = SIMD3(cos(a), -sin(a), 0.0)
        let up = SIMD3(right.y * forward.z - right.z * forward.y, right.z * forward.x - right.x * forward.z,
                       right.x * forward.y - right.y * forward.x)
        func project(_ p: SIMD3<Double>) -> SIMD2<Double> {
            let d = p - view.focus
            return SIMD2((d * right).sum(), (d * up).sum())
        }
        func depth(_ p: SIMD3<Double>) -> Double { ((p - view.focus) * forward).sum() }
        let circle = (0..<24).map { k in (cos(Double(k) * .pi / 12), sin(Double(k) * .pi / 12)) }

        var outlines: [Outline] = []
        for shape in scene.shapes {
            var samples: [SIMD3<Double>] = []
            switch shape.kind {
            case .plane:
                // The floor, as a square around the focus; seen edge-on it becomes a band below the horizon.
                let half = view.extent * 1.5, z = shape.position.z
                let centre = SIMD2(view.focus.x, view.focus.y)
                let corners = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1)].map {
                    SIMD3(centre.x + $0.0 * half, centre.y + $0.1 * half, z)
                }
                var points = corners.map(project)
                // Lines every metre on the floor show how far and which way the body moved.
                let lineColor = SIMD4(shape.color.x * 0.8, shape.color.y * 0.8, shape.color.z * 0.8, shape.color.w)
                var marks: [Outline] = []
                let first = (centre - half).rounded(.up), last = (centre + half).rounded(.down)
                if Self.area(points) < 1e-6 * half * half {
                    let level = project(SIMD3(view.focus.x, view.focus.y, z)).y
                    points = [SIMD2(-half, level), SIMD2(half, level), SIMD2(half, level - half), SIMD2(-half, level - half)]
                    let tick = view.extent / 40
                    for x in stride(from: first.x, through: last.x, by: 1) {
                        let u = project(SIMD3(x, view.focus.y, z)).x
                        marks.append(Outline(points: [SIMD2(u - tick / 8, level), SIMD2(u + tick / 8, level),
                                                      SIMD2(u + tick / 8, level - tick), SIMD2(u - tick / 8, level - tick)],
                                             color: lineColor, depth: .infinity))
                    }
                } else {
                    let width = view.extent / 400
                    func line(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Outline {
                        let p = project(a), q = project(b)
                        let d = q - p, length = (d * d).sum().squareRoot()
                        let normal = length > 0 ? SIMD2(-d.y, d.x) / length * width : SIMD2(0, 0)
                        return Outline(points: [p + normal, q + normal, q - normal, p - normal], color: lineColor, depth: .infinity)
                    }
                    for x in stride(from: first.x, through: last.x, by: 1) {
                        marks.append(line(SIMD3(x, centre.y - half, z), SIMD3(x, centre.y + half, z)))
                    }
                    for y in stride(from: first.y, through: last.y, by: 1) {
                        marks.append(line(SIMD3(centre.x - half, y, z), SIMD3(centre.x + half, y, z)))
                    }
                }
                outlines.append(Outline(points: points, color: shape.color, depth: .infinity))
                outlines += marks
                continue
            case let .sphere(radius):
                samples = Self.ellipsoidSamples(SIMD3(repeating: radius)).map(shape.world)
            case let .ellipsoid(radii):
                samples = Self.ellipsoidSamples(radii).map(shape.world)
            case let .capsule(radius, halfLength):
                samples = Self.ellipsoidSamples(SIMD3(repeating: radius)).flatMap { p in
                    [shape.world(p + SIMD3(0, 0, -halfLength)), shape.world(p + SIMD3(0, 0, halfLength))]
                }
            case let .cylinder(radius, halfLength):
                samples = circle.flatMap { c in
                    [shape.world(SIMD3(radius * c.0, radius * c.1, -halfLength)), shape.world(SIMD3(radius * c.0, radius * c.1, halfLength))]
                }
            case let .box(h):
                samples = [-1.0, 1].flatMap { x in [-1.0, 1].flatMap { y in [-1.0, 1].map { z in shape.world(SIMD3(x, y, z) * h) } } }
            }
            outlines.append(Outline(points: Self.convexHull(samples.map(project)), color: shape.color, depth: depth(shape.position)))
        }
        self.outlines = outlines.enumerated().sorted { ($0.element.depth, $1.offset) > ($1.element.depth, $0.offset) }.map(\.element)
        halfExtent = view.extent / 2
    }

    /// Points on an ellipsoid's surface, dense enough for a smooth silhouette.
    static func ellipsoidSamples(_ radii: SIMD3<Double>) -> [SIMD3<Double>] {
        var points: [SIMD3<Double>] = []
        for i in 0...8 {
            let polar = Double(i) * .pi / 8
            for k in 0..<16 {
                let azimuth = Double(k) * .pi / 8
                points.append(radii * SIMD3(sin(polar) * cos(azimuth), sin(polar) * sin(azimuth), cos(polar)))
            }
        }
        return points
    }

    /// Convex hull, counter-clockwise (Andrew's monotone chain).
    static func convexHull(_ points: [SIMD2<Double>]) -> [SIMD2<Double>] {
        let sorted = points.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        guard sorted.count > 2 else { return sorted }
        func cross(_ o: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var lower: [SIMD2<Double>] = [], upper: [SIMD2<Double>] = []
        for p in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }

    /// Absolute area of a polygon (shoelace).
    static func area(_ points: [SIMD2<Double>]) -> Double {
        guard points.count >= 3 else { return 0 }
        var sum = 0.0
        for i in points.indices {
            let p = points[i], q = points[(i + 1) % points.count]
            sum += p.x * q.y - q.x * p.y
        }
        return abs(sum) / 2
    }
}
