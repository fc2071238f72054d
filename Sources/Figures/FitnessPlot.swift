import Plotting

/// The fitness curve of meta-training runs (`driftlab meta-history --png`): per panel (a run,
/// or one task of a multi-task run), the population's mean fitness or return each generation
/// (thin), its trailing mean (thick) and the range from the worst to the best member (shaded).
public enum FitnessPlot {
    /// One meta-training run's curve.
    public struct Series: Sendable {
        public var label: String
        public var generations: [Double]
        public var mean: [Double]
        public var smoothed: [Double]
        public var worst: [Double]
        public var best: [Double]

        public init(label: String, generations: [Double], mean: [Double], smoothed: [Double], worst: [Double], best: [Double]) {
            precondition([mean.count, smoothed.count, worst.count, best.count].allSatisfy { $0 == generations.count },
                         "FitnessPlot.Series: every column needs one value per generation")
            self.label = label
            self.generations = generations
            self.mean = mean
            self.smoothed = smoothed
            self.worst = worst
            self.best = best
        }
    }

    /// One panel per run (runs differ in scale: returns of different tasks, or z-scores),
    /// stacked in a column; `yLabels` gives each panel's vertical axis label.
    public static func figure(_ series: [Series], window: Int, yLabels: [String], title: String? = nil) -> Figure {
        precondition(!series.isEmpty && yLabels.count == series.count, "FitnessPlot needs one y label per run")
        let figure = Figure(widthInches: 7, heightInches: 2.9 * Double(series.count) + 0.9, rows: series.count, columns: 1)
        figure.title = title ?? "ES population per generation: mean, trailing mean of \(window), best to worst member"
        for (i, run) in series.enumerated() {
            let axes = figure[i, 0]
            axes.title = run.label
            axes.x.label = i == series.count - 1 ? "generation" : nil
            axes.y.label = yLabels[i]
            axes.y.grid = true
            let color = Color.tab10[i % Color.tab10.count]
            axes.plot(LineSeries(x: run.generations, y: run.mean, color: color.withAlpha(0.45), lineWidth: 0.8,
                                 bandLower: run.worst, bandUpper: run.best))
            axes.plot(LineSeries(x: run.generations, y: run.smoothed, color: color, lineWidth: 2))
        }
        return figure
    }
}
