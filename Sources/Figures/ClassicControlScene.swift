import Foundation
import Plotting

/// Classic-control states drawn as a scene (`driftlab env show cartpole`), from the task's
/// observation alone, in Gymnasium's geometry: CartPole's cart and pole (pole length 1 m,
/// track +-2.4 m), Pendulum's rod, Acrobot's two links (1 m each, hanging down at angle 0,
/// the goal line one link above the pivot) and Mountain Car's hill `0.45 sin 3x + 0.55` with
/// the car and the goal flag at 0.45.
public enum ClassicControlScene {
    /// The outlines and the half-width of the view for task `name` in the state `observation`,
    /// or nil for a task this does not draw.
    public static func outlines(for name: String, observation o: [Float]) -> (outlines: [ScenePicture.Outline], halfExtent: Double)? {
        let dark = Color(hex: 0x4C566A), pole = Color(hex: 0xCA8A4B), accent = Color(hex: 0x1F77B4), ground = Color(hex: 0x9AA5B1)
        func point(_ x: Double, _ y: Double) -> (x: Double, y: Double) { (x, y) }
        switch name {
        case "cartpole" where o.count >= 3:
            let x = Double(o[0]), theta = Double(o[2])
            let cartTop = 0.15
            return ([
                ScenePicture.Outline(points: rectangle(x: -2.4, y: -0.2, width: 4.8, height: 0.05), color: ground),
                ScenePicture.Outline(points: rectangle(x: x - 0.25, y: -0.15, width: 0.5, height: 0.3), color: dark),
                ScenePicture.Outline(points: bar(from: point(x, cartTop), to: point(x + sin(theta), cartTop + cos(theta)), width: 0.08),
                                     color: pole),
                ScenePicture.Outline(points: circle(center: point(x, cartTop), radius: 0.05), color: accent),
            ], 2.6)
        case "pendulum" where o.count >= 2:
            let c = Double(o[0]), s = Double(o[1])
            return ([
                ScenePicture.Outline(points: bar(from: point(0, 0), to: point(-s, c), width: 0.16), color: pole),
                ScenePicture.Outline(points: circle(center: point(0, 0), radius: 0.06), color: dark),
            ], 1.4)
        case "acrobot" where o.count >= 4:
            // The pivot half a metre above the centre, so that both links fit hanging down.
            let t1 = atan2(Double(o[1]), Double(o[0])), t2 = atan2(Double(o[3]), Double(o[2]))
            let pivot = point(0, 0.4)
            let elbow = point(sin(t1), pivot.y - cos(t1)), tip = point(elbow.x + sin(t1 + t2), elbow.y - cos(t1 + t2))
            return ([
                ScenePicture.Outline(points: rectangle(x: -2.2, y: pivot.y + 0.99, width: 4.4, height: 0.02), color: ground),
                ScenePicture.Outline(points: bar(from: pivot, to: elbow, width: 0.1), color: accent),
                ScenePicture.Outline(points: bar(from: elbow, to: tip, width: 0.1), color: accent),
                ScenePicture.Outline(points: circle(center: pivot, radius: 0.06), color: dark),
                ScenePicture.Outline(points: circle(center: elbow, radius: 0.05), color: pole),
            ], 2.3)
        case "mountain-car-continuous" where o.count >= 1:
            // The hill spans x -1.2...0.6, y 0.1...1: shifted to centre it in the view.
            func hill(_ x: Double) -> (x: Double, y: Double) { (x + 0.3, 0.45 * sin(3 * x) + 0.55 - 0.55) }
            let xs = stride(from: -1.2, through: 0.6, by: 0.02).map { $0 }
            let surface = xs.map(hill)
            let car = Double(o[0]), at = hill(car), slope = atan(1.35 * cos(3 * car))
            let flag = hill(0.45)
            return ([
                ScenePicture.Outline(points: surface + [(0.9, -0.6), (-0.9, -0.6)], color: ground),
                ScenePicture.Outline(points: bar(from: flag, to: point(flag.x, flag.y + 0.15), width: 0.012), color: dark),
                ScenePicture.Outline(points: [point(flag.x, flag.y + 0.15), point(flag.x + 0.07, flag.y + 0.125),
                                              point(flag.x, flag.y + 0.1)], color: Color(hex: 0xD62728)),
                ScenePicture.Outline(points: rotated(rectangle(x: -0.06, y: 0, width: 0.12, height: 0.05), by: slope, around: at),
                                     color: dark),
            ], 1.0)
        default:
            return nil
        }
    }

    static func rectangle(x: Double, y: Double, width: Double, height: Double) -> [(x: Double, y: Double)] {
        [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]
    }

    /// A thick line as a quadrilateral.
    static func bar(from a: (x: Double, y: Double), to b: (x: Double, y: Double), width: Double) -> [(x: Double, y: Double)] {
        let dx = b.x - a.x, dy = b.y - a.y, length = max(hypot(dx, dy), 1e-9)
        let nx = -dy / length * width / 2, ny = dx / length * width / 2
        return [(a.x + nx, a.y + ny), (b.x + nx, b.y + ny), (b.x - nx, b.y - ny), (a.x - nx, a.y - ny)]
    }

    static func circle(center: (x: Double, y: Double), radius: Double) -> [(x: Double, y: Double)] {
        (0..<20).map { i in
            let angle = 2 * Double.pi * Double(i) / 20
            return (center.x + radius * cos(angle), center.y + radius * sin(angle))
        }
    }

    /// `points` (relative to the origin) turned by `angle` and moved to `origin`.
    static func rotated(_ points: [(x: Double, y: Double)], by angle: Double, around origin: (x: Double, y: Double)) -> [(x: Double, y: Double)] {
        points.map { p in (origin.x + p.x * cos(angle) - p.y * sin(angle), origin.y + p.x * sin(angle) + p.y * cos(angle)) }
    }
}
