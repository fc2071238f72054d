import Analysis
import Foundation
import Plotting

/// Curves of any runs, with no manifest (`driftlab plot`): one panel per env, and per label
/// the mean over its runs (seeds) with a standard-error band.
public enum RunsPlot {
    /// The figure of `runs`' `curve` against `x` (`env_steps` or `update`), each run first
    /// smoothed by a trailing mean over `smooth` updates.
    public static func figure(_ runs: [LabelledRun], curve: String, x: String = "env_steps", smooth: Int = 1,
                              title: String? = nil) throws -> Figure {
        precondition(!runs.isEmpty, "RunsPlot needs runs")
        var envs: [String] = [], labels: [String] = []
        for run in runs {
            if !envs.contains(run.env) { envs.append(run.env) }
            if !labels.contains(run.label) { labels.append(run.label) }
        }
        // Up to four panels a row; nine fill three rows of three.
        let columns = envs.count <= 4 ? envs.count : envs.count % 3 == 0 || envs.count == 5 ? 3 : 4
        let rows = (envs.count + columns - 1) / columns
        let figure = Figure(widthInches: max(3.4 * Double(columns), 5), heightInches: 2.8 * Double(rows) + 0.8,
                            rows: rows, columns: columns)
        figure.title = title ?? "\(curve), mean ± s.e. over seeds" + (smooth > 1 ? " (trailing mean of \(smooth) updates)" : "")
        for (index, env) in envs.enumerated() {
            let axes = figure[index / columns, index % columns]
            axes.title = env
            axes.x.label = x == "env_steps" ? "environment steps" : x
            axes.y.label = index % columns == 0 ? curve : nil
            axes.y.grid = true
            axes.x.tickCount = 5
            for (l, label) in labels.enumerated() {
                let group = runs.filter { $0.env == env && $0.label == label }
                guard !group.isEmpty else { continue }
                let aggregate = try CurveAggregate.aggregate(group.map(\.run), curve: curve, points: 200, labels: group.map(\.path),
                                                             x: x, smooth: smooth)
                axes.plot(LineSeries(x: aggregate.steps, y: aggregate.mean, color: ComparisonFigure.color(of: label, index: l),
                                     label: label,
                                     error: aggregate.standardError))
            }
        }
        // Counts start at 0 and end on a round number, so the axis reads 0, 2M, ..., 10M.
        for axes in figure.panels.prefix(envs.count) {
            let end = axes.resolvedLimits().x.upperBound
            if end > 0 { axes.x.limits = 0...LinearScale.nicedDomain(0...end, targetCount: 5).upperBound }
        }
        figure.legend = FigureLegend(.bottom)
        return figure
    }
}
