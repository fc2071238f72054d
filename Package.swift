// swift-tools-version: 6.0
// DriftLab: discovering and understanding policy-optimisation drifts (Lu et al., NeurIPS 2022).
import PackageDescription

let package = Package(
    name: "DriftLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "driftlab", targets: ["driftlab"]),
        .library(name: "DriftLabKit", targets: ["Tensors", "NeuralNets", "Drifts", "Storage", "Environments", "MuJoCoEnvironments", "TaskCatalog", "Plotting", "Training", "Analysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: C libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev"])]),
        .systemLibrary(name: "CMuJoCo", path: "Sources/CMuJoCo",
                       providers: [.apt(["libmujoco-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),

        // MARK: Library modules, each with one job.
        .target(name: "Tensors", dependencies: ["CBLAS"]),
        .target(name: "NeuralNets", dependencies: ["Tensors"]),
        .target(name: "Storage", dependencies: ["CHDF5"]),
        .target(name: "Drifts", dependencies: ["Tensors", "NeuralNets", "Storage"]),
        .target(name: "Environments", dependencies: ["Tensors"]),
        .target(name: "MuJoCoEnvironments", dependencies: ["Environments", "Tensors", "CMuJoCo"],
                resources: [.copy("Models")]),
        .target(name: "TaskCatalog", dependencies: ["Environments", "MuJoCoEnvironments", "Tensors"]),
        .target(name: "Plotting", dependencies: ["CCairo"]),
        .target(name: "Training", dependencies: ["Tensors", "NeuralNets", "Drifts", "Environments", "TaskCatalog", "Storage"]),
        .target(name: "Analysis", dependencies: ["Tensors", "Drifts", "Training", "Storage"]),
        .target(name: "Benchmarks", dependencies: ["Tensors", "NeuralNets", "Environments", "MuJoCoEnvironments", "TaskCatalog", "Drifts", "Training"]),
        .target(name: "Notebooks", dependencies: []),
        .target(name: "Figures", dependencies: ["Analysis", "Drifts", "Plotting", "Training"]),
        .target(name: "MetaTraining", dependencies: ["Tensors", "Drifts", "Environments", "TaskCatalog", "Training", "Storage", "CMPI"]),

        // MARK: The command-line tool, thin over the modules.
        .executableTarget(name: "driftlab", dependencies: [
            "Tensors", "NeuralNets", "Drifts", "Storage", "Environments", "MuJoCoEnvironments", "TaskCatalog", "Plotting", "Benchmarks", "Training", "Analysis", "Notebooks", "Figures", "MetaTraining",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests, one target per module, plus end-to-end tests of the binary.
        .target(name: "TestSupport", dependencies: ["Tensors"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"]),
        .testTarget(name: "NeuralNetsTests", dependencies: ["NeuralNets", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
        .testTarget(name: "DriftsTests", dependencies: ["Drifts", "TestSupport"]),
        .testTarget(name: "EnvironmentsTests", dependencies: ["Environments", "TestSupport"]),
        .testTarget(name: "MuJoCoEnvironmentsTests", dependencies: ["MuJoCoEnvironments", "Environments", "TestSupport"]),
        .testTarget(name: "TaskCatalogTests", dependencies: ["TaskCatalog", "Environments", "TestSupport"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Drifts", "Training", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Drifts", "Environments", "TaskCatalog", "Storage", "TestSupport"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "Plotting", "Training", "Drifts", "TestSupport"]),
        .testTarget(name: "NotebooksTests", dependencies: ["Notebooks", "TestSupport"]),
        .testTarget(name: "MetaTrainingTests", dependencies: ["MetaTraining", "Drifts", "Training", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["Analysis", "Drifts", "Storage", "Plotting", "Training", "TestSupport"]),
    ]
)
