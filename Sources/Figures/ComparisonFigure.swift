import Analysis
import Foundation
import Plotting

/// The figure of a `ScoreComparison`, laid out as rliable's plots: the four aggregate
/// statistics as interval bars (one row per label), the probability of improvement of each
/// pair of labels, and the performance profiles with their bootstrap bands.
public enum ComparisonFigure {
    /// The colour of `label`: the paper's colours for PPO, LPO and DPO, else the tab10 cycle.
    public static func color(of label: String, index: Int) -> Color {
        let known = ["ppo", "lpo", "dpo", "lpo-zero"]
        if known.contains(label.lowercased()) { return PaperFigures.color(label) }
        // Skip the three paper colours so that other labels never look like PPO, LPO or DPO.
        return Color.tab10[4 + index % 6]
    }

    /// A 2 x 3 grid: IQM, median, mean / optimality gap, P(X > Y), performance profile.
    public static func figure(_ comparison: ScoreComparison, title: String? = nil, scoreLabel: String = "score") -> Figure {
        let labels = comparison.labels
        let rowsNeeded = max(labels.count, labels.count * (labels.count - 1) / 2)
        let figure = Figure(widthInches: 12, heightInches: 3.4 + 0.5 * Double(rowsNeeded), rows: 2, columns: 3)
        figure.title = title ?? "\(labels.joined(separator: " vs ")) on \(comparison.tasks.count) task"
            + (comparison.tasks.count == 1 ? "" : "s") + " (\(Int((comparison.confidence * 100).rounded())) % stratified-bootstrap intervals)"

        let statistics: [(AggregateStatistic, String)] = [(.iqm, "IQM"), (.median, "Median"), (.mean, "Mean"),
                                                          (.optimalityGap, "Optimality gap")]
        for (index, (statistic, name)) in statistics.enumerated() {
            let axes = figure[index / 3, index % 3]
            axes.title = name
            axes.x.label = statistic == .optimalityGap ? "\(scoreLabel) gap to 1" : scoreLabel
            axes.x.grid = true
            let rows = labels.enumerated().map { i, label -> (String, Color, Double, [Double]) in
                let estimate = comparison.aggregate[label]!.estimate(statistic)
                return (label, color(of: label, index: i), estimate.value, estimate.ci)
            }
            drawIntervals(rows, on: axes)
        }

        // Each unordered pair once: P(Y > X) is 1 − P(X > Y).
        let poi = figure[1, 1]
        poi.title = "Probability of improvement"
        poi.x.label = "P(X > Y)"
        poi.x.grid = true
        var pairs: [(String, Color, Double, [Double])] = []
        for (i, x) in labels.enumerated() {
            for y in labels[(i + 1)...] {
                if let entry = comparison.probabilityOfImprovement.first(where: { $0.x == x && $0.y == y }) {
                    pairs.append(("\(x) > \(y)", color(of: x, index: i), entry.p, entry.ci))
                }
            }
        }
        poi.addReferenceLine(.vertical, at: 0.5)
        drawIntervals(pairs, on: poi)
        // Probabilities live in [0, 1]; the margin keeps intervals at 0 or 1 off the frame.
        poi.x.limits = -0.04...1.04

        let profile = figure[1, 2]
        profile.title = "Performance profile"
        profile.x.label = "\(scoreLabel) τ"
        profile.y.label = "fraction of runs > τ"
        profile.y.limits = 0...1
        profile.y.grid = true
        for (i, label) in labels.enumerated() {
            let p = comparison.performanceProfile[label]!
            profile.plot(LineSeries(x: p.thresholds, y: p.fractions, color: color(of: label, index: i), label: label,
                                    bandLower: p.lower, bandUpper: p.upper))
        }
        profile.legend = Legend(.best)
        return figure
    }

    /// Horizontal interval bars, one row per entry from the top, with a line at each estimate.
    static func drawIntervals(_ rows: [(name: String, color: Color, value: Double, ci: [Double])], on axes: Axes) {
        let n = rows.count
        let halfHeight = 0.3
        for (i, row) in rows.enumerated() {
            let y = Double(n - 1 - i)
            var bar = LineSeries(x: row.ci, y: [y, y], color: row.color.withAlpha(0), bandLower: [y - halfHeight, y - halfHeight],
                                 bandUpper: [y + halfHeight, y + halfHeight])
            bar.bandColor = row.color.withAlpha(0.75)
            axes.plot(bar)
            axes.plot(LineSeries(x: [row.value, row.value], y: [y - halfHeight, y + halfHeight], color: .black, lineWidth: 1.6))
        }
        axes.y.limits = -0.6...(Double(n) - 0.4)
        axes.y.tickLabels = .labeled(rows.enumerated().map { (Double(n - 1 - $0), $1.name) })
        // Room on both sides of the widest interval, so the bars do not touch the frame.
        let low = rows.map { min($0.ci[0], $0.value) }.min() ?? 0, high = rows.map { max($0.ci[1], $0.value) }.max() ?? 1
        let pad = max((high - low) * 0.08, 1e-3 * max(abs(low), abs(high), 1))
        axes.x.limits = (low - pad)...(high + pad)
    }
}
