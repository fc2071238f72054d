import Foundation
import Plotting
import Tensors
import Testing
import TestSupport

@Suite struct EnvCommandTests {
    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func listJSONDescribesEverySpace() throws {
        let result = try DriftLabBinary.run(["env", "list", "--json"])
        #expect(result.status == 0)
        let entries = try #require(try json(result.stdout) as? [[String: Any]])
        let names = entries.compactMap { $0["name"] as? String }
        #expect(names == ["breakout", "asterix", "freeway", "space-invaders", "seaquest",
                          "cartpole", "pendulum", "acrobot", "mountain-car-continuous",
                          "ant", "halfcheetah", "hopper", "walker2d", "humanoid", "reacher", "inverted-pendulum",
                          "swimmer", "fetch", "ur5e", "grasp"])
        let ant = try #require(entries.first { $0["name"] as? String == "ant" })
        #expect(ant["observation_shape"] as? [Int] == [105])
        #expect((ant["action"] as? [String: Any])?["dim"] as? Int == 8)
        let breakout = try #require(entries.first)
        #expect(breakout["observation_shape"] as? [Int] == [10, 10, 4])
        #expect((breakout["action"] as? [String: Any])?["kind"] as? String == "discrete")
        #expect((breakout["action"] as? [String: Any])?["count"] as? Int == 6)
        let pendulum = try #require(entries.first { $0["name"] as? String == "pendulum" })
        let action = try #require(pendulum["action"] as? [String: Any])
        #expect(action["kind"] as? String == "continuous" && action["dim"] as? Int == 1)
        #expect(action["low"] as? Double == -2 && action["high"] as? Double == 2)
    }

    @Test func playReportsStatisticsAndIsReproducible() throws {
        let args = ["env", "play", "asterix", "--convention", "gymnax", "--episodes", "30", "--seed", "4", "--json"]
        let first = try DriftLabBinary.run(args), second = try DriftLabBinary.run(args)
        #expect(first.status == 0 && first.stdout == second.stdout)
        let object = try #require(try json(first.stdout) as? [String: Any])
        #expect(object["episodes"] as? Int == 30)
        let mean = try #require(object["mean_return"] as? Double)
        let stderr = try #require(object["stderr_return"] as? Double)
        let length = try #require(object["mean_length"] as? Double)
        #expect(mean >= 0 && stderr >= 0 && length > 10)
    }

    @Test func showWritesAPictureOfTheGrid() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("breakout.png").path
        let result = try DriftLabBinary.run(["env", "show", "breakout", "--seed", "2", "--steps", "5", "--png", path])
        #expect(result.status == 0, "\(result.stderr)")
        let image = try PNGImage(contentsOf: path)
        #expect(image.width > 600 && image.height > 600)
        // The bricks (channel 3) fill rows 1-3 after 5 steps from reset: the cell of row 1, column 0
        // has the brick colour. Grid origin at (16, 44) points, 32-point cells, 2 pixels per point.
        let brick = ChannelGridPicture.channelColor(3)
        let pixel = image.pixel(x: Int((16 + 16) * 2), y: Int((44 + 32 + 16) * 2))
        #expect(abs(pixel.red - brick.red) < 0.02 && abs(pixel.green - brick.green) < 0.02 && abs(pixel.blue - brick.blue) < 0.02)
    }

    @Test func showDrawsAMuJoCoScene() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hopper.png").path
        let result = try DriftLabBinary.run(["env", "show", "hopper", "--steps", "3", "--png", path])
        #expect(result.status == 0, "\(result.stderr)")
        let image = try PNGImage(contentsOf: path)
        #expect(image.width == 1280 && image.height == 1020)
        // The side view puts the hopper's torso at the centre: body colour, not the background.
        let centre = image.pixel(x: 640, y: 60 + 480 - 40)
        let background = image.pixel(x: 20, y: 100)
        #expect(abs(centre.red - background.red) + abs(centre.green - background.green) + abs(centre.blue - background.blue) > 0.2)
    }

    @Test func benchEnvReportsThePhysicsRateOfMuJoCoTasks() throws {
        let result = try DriftLabBinary.run(["bench", "env", "inverted-pendulum", "--seconds", "0.2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try json(result.stdout) as? [String: Any])
        #expect(object["frame_skip"] as? Int == 2)
        let physics = try #require(object["physics_steps_per_second"] as? Double)
        let env = try #require(object["steps_per_second_one_core"] as? Double)
        #expect(physics > 0 && env > 0 && env * 2 < physics * 1.5)
        #expect(object["wrapper_overhead"] is Double)
        let minatar = try DriftLabBinary.run(["bench", "env", "breakout", "--seconds", "0.1", "--json"])
        #expect(!(minatar.stdout.contains("physics_steps_per_second")))
    }

    @Test func benchEnvOneCoreMeasuresOnlyTheSerialRate() throws {
        let result = try DriftLabBinary.run(["bench", "env", "reacher", "--one-core", "--seconds", "0.1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try json(result.stdout) as? [String: Any])
        #expect(object["environment"] as? String == "reacher")
        #expect((object["steps_per_second_one_core"] as? Double ?? 0) > 0)
        #expect(object["steps_per_second_all_cores"] == nil && object["physics_steps_per_second"] == nil)
        let bad = try DriftLabBinary.run(["bench", "env", "reacher", "--one-core", "--seconds", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("benchmark seconds"), "\(bad.stderr)")
    }

    /// `bench train --scaling` times one thread and two in turn, twice each, and reports the
    /// speed-up of the best of each; a thread count out of range is a one-line error.
    @Test func benchTrainScalingTimesOneThreadAgainstMany() throws {
        let result = try DriftLabBinary.run(["bench", "train", "--env", "cartpole", "--updates", "1", "--scaling",
                                             "--parallelism", "2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try json(result.stdout) as? [String: Any])
        #expect(object["threads"] as? Int == 2)
        let one = try #require(object["one_thread"] as? [[String: Any]])
        let many = try #require(object["many_threads"] as? [[String: Any]])
        #expect(one.count == 2 && many.count == 2)
        let rate = { (rows: [[String: Any]]) in rows.compactMap { $0["steps_per_second"] as? Double }.max() ?? 0 }
        let speedUp = try #require(object["speed_up"] as? Double)
        #expect(rate(one) > 0 && abs(speedUp - rate(many) / rate(one)) < 1e-9 * speedUp)
        let bad = try DriftLabBinary.run(["bench", "train", "--env", "cartpole", "--parallelism", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--parallelism"), "\(bad.stderr)")
        let single = try DriftLabBinary.run(["bench", "train", "--env", "cartpole", "--scaling", "--parallelism", "1"])
        #expect(single.status != 0 && single.stderr.contains("--scaling compares one thread with several"), "\(single.stderr)")
    }

    /// `bench gemm` times every product of the paper's networks on both kernels (OpenBLAS only
    /// on a CPU without AVX-512); a bad option is a one-line error naming it.
    @Test func benchGemmTimesBothKernelsOnTheNetworksShapes() throws {
        let result = try DriftLabBinary.run(["bench", "gemm", "--rounds", "1", "--seconds", "0.01", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try json(result.stdout) as? [[String: Any]])
        #expect(rows.count == 25 && rows.contains { $0["name"] as? String == "minatar value head" })
        for row in rows {
            let openBLAS = try #require(row["openblas_gflops"] as? Double)
            #expect(openBLAS > 0, "\(row)")
            if BLAS.ownKernelAvailable {
                let own = try #require(row["own_gflops"] as? Double)
                let speedUp = try #require(row["speed_up"] as? Double)
                #expect(own > 0 && abs(speedUp - own / openBLAS) < 1e-9 * speedUp, "\(row)")
            }
        }
        let bad = try DriftLabBinary.run(["bench", "gemm", "--rounds", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--rounds must be at least 1"), "\(bad.stderr)")
    }

    /// `bench sparse` times the MinAtar first layer on real Breakout observations; its two
    /// forwards and its blocked and one-pass weight gradients agree bit for bit; a bad option is a one-line error.
    @Test func benchSparseTimesTheFirstLayerOnBreakoutObservations() throws {
        let result = try DriftLabBinary.run(["bench", "sparse", "--rows", "300", "--rounds", "1", "--seconds", "0.01", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let row = try #require(try json(result.stdout) as? [String: Any])
        #expect(row["rows"] as? Int == 300 && row["identical"] as? Bool == true, "\(row)")
        // Random play keeps most of the 30 bricks: a real observation sets 20-40 cells.
        let active = try #require(row["active_per_row"] as? Double)
        #expect(active > 20 && active < 40, "\(row)")
        let blocked = try #require(row["blocked_gradient_us"] as? Double), onePass = try #require(row["one_pass_gradient_us"] as? Double)
        let speedUp = try #require(row["speed_up"] as? Double)
        #expect(blocked > 0 && abs(speedUp - onePass / blocked) < 1e-9 * speedUp, "\(row)")
        let pairs = try #require(row["forward_us"] as? Double), single = try #require(row["one_row_forward_us"] as? Double)
        let forwardSpeedUp = try #require(row["forward_speed_up"] as? Double)
        #expect(pairs > 0 && abs(forwardSpeedUp - single / pairs) < 1e-9 * forwardSpeedUp, "\(row)")
        let bad = try DriftLabBinary.run(["bench", "sparse", "--rows", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--rows must be in 1...8192"), "\(bad.stderr)")
    }

    @Test func missingMuJoCoModelNamesTheFile() throws {
        let result = try DriftLabBinary.run(["env", "play", "hopper", "--episodes", "1"],
                                            environment: ["DRIFTLAB_MUJOCO_MODELS": "/nonexistent/models"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/models/hopper.xml") && result.stderr.contains("does not exist"), "\(result.stderr)")
    }

    @Test(arguments: [
        (["env", "play", "pong"], "unknown environment 'pong'"),
        (["env", "play", "breakout", "--episodes", "0"], "episodes"),
        (["env", "play", "breakout", "--sticky-actions", "1.5"], "--sticky-actions"),
        // Every catalog task is drawn since classic control is (issue 18): only an unknown name is refused.
        (["env", "show", "cartpol", "--png", "/tmp/x.png"], "did you mean 'cartpole'"),
        (["bench", "env", "nope"], "unknown environment"),
    ])
    func badInputGivesAClearError(args: [String], mention: String) throws {
        let result = try DriftLabBinary.run(args)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
    }
}
