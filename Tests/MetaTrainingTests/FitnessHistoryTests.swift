import Testing
@testable import MetaTraining

@Suite struct FitnessHistoryTests {
    func record(_ generation: Int, _ fitness: [Double], seconds: Double = 10) -> GenerationRecord {
        GenerationRecord(generation: generation, fitness: fitness, sigma: 0.04, learningRate: 0.01, seconds: seconds)
    }

    @Test func summarisesEachGenerationLeavingOutBrokenRuns() {
        let history = FitnessHistory([record(0, [1, 4, 2, 3]), record(1, [5, .nan, 1])])
        // Generation 0: mean (1+4+2+3)/4 = 2.5, median (2+3)/2 = 2.5; generation 1 keeps 5 and 1.
        #expect(history.generations[0] == .init(generation: 0, mean: 2.5, median: 2.5, max: 4, min: 1, sigma: 0.04, seconds: 10))
        #expect(history.generations[1].mean == 3 && history.generations[1].median == 3)
        #expect(history.generations[1].max == 5 && history.generations[1].min == 1)
    }

    @Test func blocksAverageGenerationMeansWithTheirStandardError() {
        // Generation means 1, 2, 3, 4, 5 (each a constant population).
        let history = FitnessHistory((0..<5).map { record($0, [Double($0 + 1), Double($0 + 1)]) })
        let blocks = history.blocks(of: 2)
        #expect(blocks.map(\.first) == [0, 2, 4] && blocks.map(\.last) == [1, 3, 4])
        #expect(blocks.map(\.mean) == [1.5, 3.5, 5])
        // Block 1-2: sample variance of {1, 2} = 0.5, s.e. = sqrt(0.5 / 2) = 0.5. One generation: no s.e.
        #expect(abs(blocks[0].standardError - 0.5) < 1e-12)
        #expect(blocks[2].standardError.isNaN)
    }

    @Test func taskMeansAverageEachEnvironmentsRawReturnsAndBlocksGiveTheirError() {
        var first = record(0, [0, 0, 0]), second = record(1, [0, 0, 0])
        first.returns = [[1, 10], [3, .nan], [5, 30]]
        second.returns = [[2, 20], [4, 40], [6, 60]]
        let history = FitnessHistory([first, second, record(2, [1])])
        // Generation 0 leaves out the broken run on the second environment: (10 + 30) / 2.
        #expect(history.generations[0].taskMeans == [3, 20] && history.generations[1].taskMeans == [4, 40])
        #expect(history.generations[2].taskMeans == nil)
        let block = history.blocks(of: 3)[0]
        // Means over the two generations with returns; s.e. of {3, 4} = 0.5, of {20, 40} = 10.
        #expect(block.taskMeans == [3.5, 30])
        #expect(abs(block.taskStandardErrors[0] - 0.5) < 1e-12 && abs(block.taskStandardErrors[1] - 10) < 1e-12)
    }

    @Test func trailingMeanAndCosts() {
        let history = FitnessHistory([record(0, [2], seconds: 30), record(1, [4], seconds: 10), record(2, [9], seconds: 20)])
        #expect(history.trailingMean(window: 2) == [2, 3, 6.5])
        #expect(history.trailingMean(window: 1) == [2, 4, 9])
        #expect(history.totalSeconds == 60 && history.medianSeconds == 20)
    }
}
