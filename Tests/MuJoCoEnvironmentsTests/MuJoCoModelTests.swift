import Environments
import Foundation
import MuJoCoEnvironments
import Testing
import TestSupport

/// The shipped models: dimensions, physics settings and the tasks' declared shapes.
@Suite struct MuJoCoModelTests {
    /// (task, nq, nv, nu, timestep, integrator, frame skip, observation size, action limit)
    static let table: [(any MuJoCoTask.Type, Int, Int, Int, Double, String, Int, Int, Double)] = [
        (Ant.self, 15, 14, 8, 0.01, "RK4", 5, 105, 1),
        (HalfCheetah.self, 9, 9, 6, 0.01, "Euler", 5, 17, 1),
        (Hopper.self, 6, 6, 3, 0.002, "RK4", 4, 11, 1),
        (Walker2d.self, 9, 9, 6, 0.002, "RK4", 4, 17, 1),
        (Humanoid.self, 24, 23, 17, 0.003, "RK4", 5, 348, 0.4),
        (Reacher.self, 4, 4, 2, 0.01, "RK4", 2, 10, 1),
        (InvertedPendulum.self, 2, 2, 1, 0.02, "RK4", 2, 4, 3),
        (Swimmer.self, 5, 5, 2, 0.01, "RK4", 4, 8, 1),
    ]

    @Test func everyModelLoadsWithTheStandardDimensions() throws {
        for (task, nq, nv, nu, timestep, integrator, frameSkip, observationSize, limit) in Self.table {
            let model = try MuJoCoModelLibrary.shared.model(named: task.modelName)
            #expect(model.nq == nq && model.nv == nv && model.nu == nu, "\(task.name): \(model.nq)/\(model.nv)/\(model.nu)")
            #expect(model.timestep == timestep, "\(task.name) timestep \(model.timestep)")
            #expect(model.integrator == integrator, "\(task.name) integrator \(model.integrator)")
            #expect(task.frameSkip == frameSkip)
            #expect(task.observationSize == observationSize)
            #expect(model.controlRanges.allSatisfy { $0 == (-limit, limit) }, "\(task.name) ctrlrange \(model.controlRanges)")
        }
    }

    @Test func observationsHaveTheTableSizeAndAreFinite() throws {
        for entry in MuJoCoCatalog.entries {
            let env = try entry.make(3, 7, EnvironmentConfiguration(parallelism: 1))
            #expect(env.observationShape == entry.observationShape)
            #expect(env.observations.count == 3 * entry.observationShape[0])
            #expect(env.observations.allSatisfy { $0.isFinite }, "\(entry.name)")
            guard case let .continuous(dim, low, high) = env.actionSpace, let continuous = env as? ContinuousEnvironmentBatch else {
                Issue.record("\(entry.name) is not continuous"); continue
            }
            continuous.step(actions: [Float](repeating: (low + high) / 2, count: 3 * dim))
            #expect(env.observations.allSatisfy { $0.isFinite }, "\(entry.name) after a step")
        }
    }

    @Test func episodeLimitsFollowTheTable() {
        #expect(Reacher.maxEpisodeSteps == 50)
        for task in Self.table.map(\.0) where task != Reacher.self { #expect(task.maxEpisodeSteps == 1000) }
    }

    @Test func missingModelFileNamesTheFile() {
        let url = temporaryDirectory().appendingPathComponent("nothing-here.xml")
        #expect(throws: MuJoCoError.modelFileMissing(path: url.path)) { try MuJoCoModel(contentsOf: url) }
    }

    @Test func invalidModelReportsFileAndMuJoCosMessage() throws {
        let url = temporaryDirectory().appendingPathComponent("broken.xml")
        try #"<mujoco><worldbody><geom type="sphere" size="-1"/><body><joint type="hinge"/></worldbody></mujoco>"#
            .write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try MuJoCoModel(contentsOf: url)
            Issue.record("a broken model loaded")
        } catch let error as MuJoCoError {
            guard case let .invalidModel(path, message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == url.path)
            #expect(!message.isEmpty)
            #expect(error.description.contains("broken.xml"))
        }
    }

    @Test func aModelOfAnotherTaskIsRejected() throws {
        let cheetah = try MuJoCoModelLibrary.shared.model(named: HalfCheetah.modelName)
        #expect(throws: MuJoCoError.self) { try MuJoCoEnvironment<Ant>(model: cheetah) }
        do {
            _ = try MuJoCoEnvironment<Ant>(model: cheetah)
        } catch {
            #expect("\(error)".contains("halfcheetah.xml") && "\(error)".contains("ant needs 8 actuators"))
        }
    }
}
