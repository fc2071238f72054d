import Foundation
import Training

extension PlannedRun {
    /// The runs of `driftlab train --seeds`: `description` once per seed, into
    /// `outDir/SEED.h5`. Executed by a `SweepRunner`, they follow the sweep's resume-or-skip
    /// policy (`RunExecutor`): a finished seed is read back, an interrupted one continues.
    public static func seeds(_ seeds: [UInt64], of description: RunDescription, outDir: String) -> [PlannedRun] {
        seeds.map { seed in
            var run = description
            run.seed = seed
            return PlannedRun(env: description.env, label: description.drift, description: run,
                            path: (outDir as NSString).appendingPathComponent("\(seed).h5"))
        }
    }
}
