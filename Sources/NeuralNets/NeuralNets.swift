// The NeuralNets module; its sources arrive with its first work item.
