import Foundation

/// Fits DPO's closed form (Lu et al. 2022, Section 6) to a drift's derivative map:
/// the `alpha` and `beta` whose `dObj/dr` is closest in least squares to the map.
///
/// The closed form's two constants act on disjoint regions — `alpha` only where `A >= 0` and
/// `r > 1`, `beta` only where `A < 0` and `r < 1`; elsewhere `dObj/dr = A` whatever they are —
/// so the two-parameter fit is exactly two one-dimensional fits. Each is solved by a scan over
/// log-spaced starts followed by golden-section refinement of the best few minima (robust to
/// the flat, multi-modal error curves of learned drifts).
public struct ClosedFormFit: Sendable, Codable, Equatable {
    public var alpha: Double
    public var beta: Double
    /// Root-mean-square difference over the whole map.
    public var rmse: Double
    /// Coefficient of determination `1 - SS_res / SS_tot` over the two fitted quadrants only
    /// (`A >= 0, r > 1` and `A < 0, r < 1`). The other two are `dObj/dr = A` for every alpha and
    /// beta: scoring them would credit the closed form with whatever a drift does there (PPO,
    /// which is exactly `A` there too, scored 0.86 over the whole map).
    public var r2: Double

    /// `dObj/dr` of DPO with constants `alpha`, `beta` at `(r, A)`.
    public static func dpoObjectiveDerivative(r: Double, a: Double, alpha: Double, beta: Double) -> Double {
        if a >= 0 {
            guard r > 1 else { return a }
            let c = cosh((r - 1) * a / alpha)
            return a / (c * c)
        }
        guard r < 1 else { return a }
        let t = tanh(a * log(r) / beta)
        return a - (a / r) * t * t
    }

    /// The closed form's map on the grid of `map`.
    public static func closedFormMap(alpha: Double, beta: Double, like map: ObjectiveMap) -> ObjectiveMap {
        map.sameGrid { r, a in dpoObjectiveDerivative(r: r, a: a, alpha: alpha, beta: beta) }
    }

    /// Fits the map; `range` bounds both constants.
    public static func fit(_ map: ObjectiveMap, range: ClosedRange<Double> = 1e-3...1e3) throws -> (fit: ClosedFormFit, residual: ObjectiveMap) {
        var positive: [(r: Double, a: Double, y: Double)] = [], negative = positive
        for i in 0..<map.rows {
            for j in 0..<map.columns {
                let r = exp(map.logRatios[j]), a = map.advantages[i], y = map[i, j]
                guard y.isFinite else { throw AnalysisError.invalidInput("the derivative map contains NaN or infinity") }
                if a >= 0 && r > 1 { positive.append((r, a, y)) }
                if a < 0 && r < 1 { negative.append((r, a, y)) }
            }
        }
        guard !positive.isEmpty, !negative.isEmpty else {
            throw AnalysisError.invalidInput("the grid must include A >= 0 with r > 1 and A < 0 with r < 1 to fit alpha and beta")
        }
        let alpha = minimise(range: range) { c in
            positive.reduce(0) { s, p in let d = dpoObjectiveDerivative(r: p.r, a: p.a, alpha: c, beta: 1) - p.y; return s + d * d }
        }
        let beta = minimise(range: range) { c in
            negative.reduce(0) { s, p in let d = dpoObjectiveDerivative(r: p.r, a: p.a, alpha: 1, beta: c) - p.y; return s + d * d }
        }
        let model = closedFormMap(alpha: alpha, beta: beta, like: map)
        let residual = ObjectiveMap(logRatios: map.logRatios, advantages: map.advantages,
                                    values: zip(map.values, model.values).map { $0 - $1 })
        let n = Double(map.values.count)
        let rmse = (residual.values.reduce(0) { $0 + $1 * $1 } / n).squareRoot()
        let fitted = positive + negative
        let mean = fitted.reduce(0) { $0 + $1.y } / Double(fitted.count)
        let ssTot = fitted.reduce(0) { $0 + ($1.y - mean) * ($1.y - mean) }
        let ssRes = fitted.reduce(0) { s, p in
            let d = p.y - dpoObjectiveDerivative(r: p.r, a: p.a, alpha: alpha, beta: beta)
            return s + d * d
        }
        return (ClosedFormFit(alpha: alpha, beta: beta, rmse: rmse, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1), residual)
    }

    /// Minimises `loss` over `range` in log space: 400 log-spaced starts, then golden-section
    /// refinement around the best three local minima of the scan.
    static func minimise(range: ClosedRange<Double>, _ loss: (Double) -> Double) -> Double {
        let lo = log(range.lowerBound), hi = log(range.upperBound), n = 400
        let xs = (0..<n).map { lo + (hi - lo) * Double($0) / Double(n - 1) }
        let ys = xs.map { loss(exp($0)) }
        var minima = (0..<n).filter { i in (i == 0 || ys[i] <= ys[i - 1]) && (i == n - 1 || ys[i] <= ys[i + 1]) }
        minima.sort { ys[$0] < ys[$1] }
        var best = (x: xs[minima.first ?? 0], y: ys[minima.first ?? 0])
        for i in minima.prefix(3) {
            var a = xs[max(i - 1, 0)], b = xs[min(i + 1, n - 1)]
            let g = (5.0.squareRoot() - 1) / 2
            var c = b - g * (b - a), d = a + g * (b - a)
            var fc = loss(exp(c)), fd = loss(exp(d))
            for _ in 0..<80 where b - a > 1e-12 {
                if fc < fd { b = d; d = c; fd = fc; c = b - g * (b - a); fc = loss(exp(c)) }
                else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = loss(exp(d)) }
            }
            let x = (a + b) / 2, y = loss(exp(x))
            if y < best.y { best = (x, y) }
        }
        return exp(best.x)
    }
}

/// Errors of the analysis layer, each naming what is wrong.
public enum AnalysisError: Error, CustomStringConvertible, Equatable {
    case invalidInput(String)
    case invalidFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidInput(let m): return m
        case .invalidFile(let path, let reason): return "'\(path)': \(reason)"
        }
    }
}
