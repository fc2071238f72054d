// swift-tools-version: 6.0
// DriftLab: discovering and understanding policy-optimisation drifts (Lu et al., NeurIPS 2022).
import Foundation
import PackageDescription

// The numeric kernels (sparse first layers, activations, Adam) are written with 8-wide SIMD
// types; compiled for the x86-64 baseline these become pairs of SSE instructions. On x86-64
// DriftLab is compiled for Haswell-class CPUs (AVX2 and FMA: Intel since 2013, AMD since
// 2015), which halves their instruction count. Results do not change: Swift never contracts
// a * b + c into FMA, and no reduction is reordered. DRIFTLAB_PORTABLE=1 at build time keeps
// the baseline for older CPUs.
#if arch(x86_64)
let portable = ProcessInfo.processInfo.environment["DRIFTLAB_PORTABLE"] == "1"
let cpuSettings: [SwiftSetting] = portable ? [] : [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let cpuSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "DriftLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "driftlab", targets: ["driftlab"]),
        // Every library module, with `import DriftLabKit` reaching them all (Sources/DriftLabKit).
        .library(name: "DriftLabKit", targets: ["DriftLabKit", "Tensors", "NeuralNets", "Drifts", "Storage", "Environments",
                                                "MuJoCoEnvironments", "TaskCatalog", "Plotting", "Training", "Analysis",
                                                "MetaTraining", "Figures", "Sweeps"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
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
        // DriftLab's AVX-512 kernels (runtime-dispatched): SGEMM (BLAS.gemm falls back to
        // OpenBLAS), sparse row sums and Adam. Optimised in debug builds too (the tests train
        // networks through them); no FMA contraction, so the last two stay bit-identical to Swift.
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off"])]),
        .target(name: "Tensors", dependencies: ["CBLAS", "CKernels"], swiftSettings: cpuSettings),
        // The driftlab command's allocator settings (freed blocks stay in the heap).
        .target(name: "CMemory", path: "Sources/CMemory"),
        .target(name: "NeuralNets", dependencies: ["Tensors", "CKernels"], swiftSettings: cpuSettings),
        .target(name: "Storage", dependencies: ["CHDF5"], swiftSettings: cpuSettings),
        .target(name: "Drifts", dependencies: ["Tensors", "NeuralNets", "Storage"], swiftSettings: cpuSettings),
        .target(name: "Environments", dependencies: ["Tensors"], swiftSettings: cpuSettings),
        .target(name: "MuJoCoEnvironments", dependencies: ["Environments", "Tensors", "CMuJoCo"],
                resources: [.copy("Models")], swiftSettings: cpuSettings),
        .target(name: "TaskCatalog", dependencies: ["Environments", "MuJoCoEnvironments", "Tensors"], swiftSettings: cpuSettings),
        .target(name: "Plotting", dependencies: ["CCairo"], swiftSettings: cpuSettings),
        .target(name: "Training", dependencies: ["Tensors", "NeuralNets", "Drifts", "Environments", "TaskCatalog", "Storage"], swiftSettings: cpuSettings),
        .target(name: "Analysis", dependencies: ["Tensors", "Drifts", "Training", "Storage"], swiftSettings: cpuSettings),
        .target(name: "Benchmarks", dependencies: ["Tensors", "NeuralNets", "Environments", "MuJoCoEnvironments", "TaskCatalog", "Drifts", "Training"], swiftSettings: cpuSettings),
        // Ink renders a notebook's markdown as HTML (`notebook render --html`).
        .target(name: "Notebooks", dependencies: [.product(name: "Ink", package: "Ink")], swiftSettings: cpuSettings),
        .target(name: "Figures", dependencies: ["Analysis", "Drifts", "Plotting", "Training"], swiftSettings: cpuSettings),
        .target(name: "MetaTraining", dependencies: ["Tensors", "Drifts", "Environments", "TaskCatalog", "Training", "Storage", "CMPI"], swiftSettings: cpuSettings),
        // Sweeps over env x drift x seed: TOML plans, local workers and MPI ranks (MPICommunicator
        // lives in MetaTraining, which used MPI first).
        .target(name: "Sweeps", dependencies: ["Tensors", "Drifts", "Environments", "TaskCatalog", "Storage", "Training", "MetaTraining",
                                               .product(name: "TOMLKit", package: "TOMLKit")],
                swiftSettings: cpuSettings),

        // One import for a Swift user: re-exports every library module.
        .target(name: "DriftLabKit", dependencies: ["Tensors", "NeuralNets", "Drifts", "Storage", "Environments", "MuJoCoEnvironments",
                                                    "TaskCatalog", "Plotting", "Training", "Analysis", "MetaTraining", "Figures", "Sweeps"]),

        // MARK: Examples, built with the package so CI keeps them compiling.
        // A drift defined outside the library in one file, trained, saved, resumed and evaluated.
        // It imports the modules it uses (Drifts, Storage, Training, Environments) rather than
        // the DriftLabKit umbrella, whose re-exports incremental builds do not track.
        .executableTarget(name: "CustomDrift", dependencies: ["Drifts", "Storage", "Environments", "Training"],
                          path: "Examples/CustomDrift"),

        // MARK: The command-line tool, thin over the modules.
        .executableTarget(name: "driftlab", dependencies: [
            "Tensors", "NeuralNets", "Drifts", "Storage", "Environments", "MuJoCoEnvironments", "TaskCatalog", "Plotting", "Benchmarks", "Training", "Analysis", "Notebooks", "Figures", "MetaTraining", "Sweeps", "CMemory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests, one target per module, plus end-to-end tests of the binary.
        .target(name: "TestSupport", dependencies: ["Tensors"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "CKernels", "TestSupport"]),
        .testTarget(name: "NeuralNetsTests", dependencies: ["NeuralNets", "Tensors", "TestSupport"]),
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
        .testTarget(name: "SweepsTests", dependencies: ["Sweeps", "Drifts", "Training", "TestSupport"]),
        .testTarget(name: "ExamplesTests", dependencies: ["TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["Analysis", "Drifts", "Storage", "Tensors", "Plotting", "Training", "TestSupport"]),
    ]
)
