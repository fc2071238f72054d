// DriftLabKit: one import for every library module, so a Swift package that depends on
// DriftLab writes `import DriftLabKit` and reaches drifts, environments, training,
// meta-training, analysis, figures and storage (each module stays importable on its own).
@_exported import Analysis
@_exported import Drifts
@_exported import Environments
@_exported import Figures
@_exported import MetaTraining
@_exported import MuJoCoEnvironments
@_exported import NeuralNets
@_exported import Plotting
@_exported import Storage
@_exported import Sweeps
@_exported import TaskCatalog
@_exported import Tensors
@_exported import Training
