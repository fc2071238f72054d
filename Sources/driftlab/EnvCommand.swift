import ArgumentParser
import Environments
import Figures
import Foundation
import Plotting
import TaskCatalog
import Tensors

/// `driftlab env ...`: list, play and look at environments.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "List, play and render environments.",
        subcommands: [EnvList.self, EnvPlay.self, EnvShow.self])
}

extension MinAtarConvention: ExpressibleByArgument {}

/// Options choosing how a MinAtar game is configured, shared by env subcommands and bench.
struct ConventionOptions: ParsableArguments {
    @Option(help: "MinAtar convention: original (full actions, sticky 0.1, no limit) or gymnax (minimal actions, no sticky, 1000 steps; Freeway 2500).")
    var convention: MinAtarConvention = .original

    @Option(help: "Override the sticky-action probability (MinAtar).")
    var stickyActions: Double?

    @Option(help: "Override the episode step limit (MinAtar); 0 for none.")
    var maxEpisodeSteps: Int?

    func validate() throws {
        if let stickyActions { try OptionCheck.requireFinite("--sticky-actions", stickyActions, in: 0...1) }
        if let maxEpisodeSteps { try OptionCheck.require("--max-episode-steps", maxEpisodeSteps, in: 0...Int.max) }
    }

    /// The configuration for task `name`.
    func configuration(for name: String) throws -> EnvironmentConfiguration {
        var configuration = EnvironmentConfiguration(convention: convention)
        if stickyActions != nil || maxEpisodeSteps != nil {
            var options = convention.options(forGame: name)
            if let p = stickyActions { options.stickyActionProbability = p }
            if let limit = maxEpisodeSteps { options.maxEpisodeSteps = limit == 0 ? nil : limit }
            try options.validate()
            configuration.minAtarOptions = options
        }
        return configuration
    }
}

/// JSON with sorted keys, one object per line where printed.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

struct EnvList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the environments with their observation and action spaces.")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var conventionOptions: ConventionOptions

    struct Action: Encodable {
        let kind: String
        var count: Int?
        var dim: Int?
        var low: Float?
        var high: Float?
    }

    struct Entry: Encodable {
        let name: String
        let observation_shape: [Int]
        let action: Action
    }

    func run() throws {
        var entries: [Entry] = []
        for entry in EnvironmentCatalog.entries {
            let space = entry.actionSpace(try conventionOptions.configuration(for: entry.name))
            let action: Action
            switch space {
            case .discrete(let count): action = Action(kind: "discrete", count: count)
            case .continuous(let dim, let low, let high): action = Action(kind: "continuous", dim: dim, low: low, high: high)
            }
            entries.append(Entry(name: entry.name, observation_shape: entry.observationShape, action: action))
        }
        if json {
            print(try jsonString(entries))
            return
        }
        for e in entries {
            let shape = e.observation_shape.map(String.init).joined(separator: "x")
            let action = e.action.kind == "discrete"
                ? "discrete(\(e.action.count!))"
                : "continuous(dim \(e.action.dim!), [\(e.action.low!), \(e.action.high!)])"
            print("\(e.name.padding(toLength: 26, withPad: " ", startingAt: 0)) obs \(shape.padding(toLength: 10, withPad: " ", startingAt: 0)) action \(action)")
        }
    }
}

struct EnvPlay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play", abstract: "Play a uniformly random policy; print mean return (with standard error) and length.")

    @Argument(help: "Environment name (see `driftlab env list`).", completion: Completions.environments) var env: String
    @OptionGroup var conventionOptions: ConventionOptions
    @Option(help: "Episodes to play.") var episodes: Int = 100
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        let env: String
        let episodes: Int
        let mean_return: Double
        let stderr_return: Double
        let mean_length: Double
    }

    func validate() throws { try OptionCheck.require("--episodes", episodes, in: 1...1_000_000) }

    func run() throws {
        let env = try EnvironmentNames.resolve(self.env)
        let result = try RandomPlay.run(env, episodes: episodes, seed: seed,
                                        configuration: try conventionOptions.configuration(for: env))
        let output = Output(env: env, episodes: result.episodes, mean_return: result.meanReturn,
                            stderr_return: result.standardError, mean_length: result.meanLength)
        if json {
            print(try jsonString(output))
        } else {
            print(String(format: "%@: %d episodes, mean return %.3f ± %.3f (s.e.), mean length %.1f",
                         env, result.episodes, result.meanReturn, result.standardError, result.meanLength))
        }
    }
}

struct EnvShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Render the state after K uniformly random steps as a PNG, PDF or SVG (MinAtar grids, MuJoCo scenes, classic control).")

    @Argument(help: "Environment name (a MinAtar game, a MuJoCo task or a classic-control task).", completion: Completions.environments) var env: String
    @OptionGroup var conventionOptions: ConventionOptions
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Random steps to take before rendering (episodes reset automatically).") var steps: Int = 0
    @Option(help: "Output image (.png, .pdf or .svg).") var png: String

    func validate() throws { try OptionCheck.require("--steps", steps, in: 0...100_000_000) }

    func run() throws {
        let env = try EnvironmentNames.resolve(self.env)
        var configuration = try conventionOptions.configuration(for: env)
        configuration.parallelism = 1
        let vector = try EnvironmentCatalog.make(env, count: 1, seed: seed, configuration: configuration)
        let observation = { Array(vector.observations.prefix(vector.observationSize)) }
        let unsupported = CLIError("env show draws MinAtar grids, MuJoCo scenes and classic control; '\(env)' is none of them")
        guard vector is GridEnvironmentBatch || vector is SceneEnvironmentBatch || ClassicControlScene.outlines(for: env, observation: observation()) != nil
        else { throw unsupported }
        let position = RandomWalk.walk(vector, steps: steps, seed: seed)
        let (episodes, episodeStep) = (position.episodesFinished, position.episodeStep)
        let title = "\(env) · seed \(seed) · step \(steps) (episode \(episodes + 1), step \(episodeStep))"
        let canvas: Canvas
        if let grid = vector as? GridEnvironmentBatch {
            canvas = try ChannelGridPicture(cells: grid.frame(of: 0), channelNames: grid.channelNames, title: title).render()
        } else if let scenes = vector as? SceneEnvironmentBatch {
            let projection = SceneProjection(scenes.scene(of: 0))
            let outlines = projection.outlines.map { outline in
                ScenePicture.Outline(points: outline.points.map { (x: $0.x, y: $0.y) },
                                     color: Color(red: outline.color.x, green: outline.color.y, blue: outline.color.z,
                                                  alpha: outline.color.w))
            }
            canvas = try ScenePicture(outlines: outlines, halfExtent: projection.halfExtent, title: title).render()
        } else if let scene = ClassicControlScene.outlines(for: env, observation: observation()) {
            canvas = try ScenePicture(outlines: scene.outlines, halfExtent: scene.halfExtent, title: title).render()
        } else {
            throw unsupported
        }
        try canvas.write(to: URL(fileURLWithPath: png))
        print("wrote \(png)")
    }
}
