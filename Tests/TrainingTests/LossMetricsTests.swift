import Environments
import Testing
@testable import Training

@Suite struct LossMetricsTests {
    @Test func shardsAddByNameAndMinibatchesAverage() {
        var a = LossMetrics(), b = LossMetrics()
        a.record("policy_loss", 0.25); a.record("entropy", 1)
        b.record("policy_loss", 0.5); b.record("entropy", 2); b.record("extra", 3)
        a.add(b)
        // 0.25 + 0.5 = 0.75, 1 + 2 = 3; a name only b has is appended.
        #expect(a.names == ["policy_loss", "entropy", "extra"] && a.values == [0.75, 3, 3])
        var sums = LossMetrics.Sums()
        sums.add(a)
        var c = LossMetrics()
        c.record("policy_loss", 0.25)
        sums.add(c)
        // Means over 2 minibatches: (0.75 + 0.25) / 2 = 0.5, 3 / 2 = 1.5 (a metric missing in one counts 0 there).
        let means = Dictionary(uniqueKeysWithValues: sums.means.map { ($0.name, $0.mean) })
        #expect(means == ["policy_loss": 0.5, "entropy": 1.5, "extra": 1.5])
    }

    @Test func aSumFromZeroTurnsNegativeZeroPositive() {
        var a = LossMetrics(), b = LossMetrics()
        b.record("policy_loss", -0.0)
        a.add(b)
        #expect(a["policy_loss"] == 0 && a["policy_loss"]?.sign == .plus)
    }

    @Test func extraCurvesArriveInTheRowAndReadAsNaNElsewhere() {
        var row = UpdateMetrics(curveValues: ["update": 1, "policy_loss": 0.5])
        row["mean_drift"] = 0.125
        #expect(row.names == UpdateMetrics.standardNames + ["mean_drift"])
        #expect(row.episodesFinished == 0 && row.entropy.isNaN && row["mean_drift"] == 0.125)
    }

    @Test func squashedActionsMapOntoTheBounds() {
        // low + (x + 1) / 2 (high - low) on [-2, 2]: -1 -> -2, 0 -> 0, 0.5 -> 1, 1 -> 2.
        #expect(ActionSpace.continuous(dim: 4, low: -2, high: 2).scaled(fromSquashed: [-1, 0, 0.5, 1]) == [-2, 0, 1, 2])
    }
}
