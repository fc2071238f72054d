import Drifts
import Testing
@testable import Analysis
import Training

/// A metric beyond the standard curves (one `record` line in the loss) reaches the analysis.
@Suite struct ExtraCurveTests {
    func run(_ values: [Double]) -> RunFile.Contents {
        let curves = values.enumerated().map { i, v in
            UpdateMetrics(curveValues: ["update": Double(i + 1), "env_steps": Double(100 * (i + 1)), "mean_drift": v])
        }
        let d = RunDescription(env: "cartpole", drift: "ppo", preset: "classic-control", seed: 0, convention: "gymnax",
                               config: TrainingConfig())
        return RunFile.Contents(description: d, drift: PPODrift(), curves: curves, checkpoint: nil, complete: true)
    }

    @Test func anExtraCurveAggregatesAndExports() throws {
        let runs = [run([1, 2, 3]), run([3, 4, 5])]
        #expect(UpdateMetrics.curveNames(of: runs) == UpdateMetrics.standardNames + ["mean_drift"])
        // Mean over the two runs at each step: (1 + 3) / 2 = 2, (2 + 4) / 2 = 3, (3 + 5) / 2 = 4.
        let points = try CurveAggregate.points(runs, curve: "mean_drift", at: [100, 200, 300], labels: ["a", "b"])
        #expect(points.map(\.mean) == [2, 3, 4])
        let table = RunTable(runs.map { LabelledRun(path: "x.h5", label: "ppo", run: $0) })
        #expect(table.columns.last == "mean_drift")
    }
}
