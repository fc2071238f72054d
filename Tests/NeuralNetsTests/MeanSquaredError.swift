import Tensors

/// Mean squared error over all elements, `L = mean((p - t)^2)`, and its gradient
/// `dL/dp = 2 (p - t) / count`: a plain loss for the MLP's gradient checks. (Training's
/// value loss is `Training.ValueLoss`, with clipping; nothing in the library used this.)
enum MeanSquaredError {
    /// The loss for predictions and targets of equal shape.
    static func loss(predictions: Matrix, targets: Matrix) -> Float {
        lossAndGradient(predictions: predictions, targets: targets).loss
    }

    /// The loss and `dL/dPredictions` (same shape as `predictions`).
    static func lossAndGradient(predictions: Matrix, targets: Matrix) -> (loss: Float, gradient: Matrix) {
        precondition(predictions.shape == targets.shape,
                     "MSE predictions [\(predictions.rows), \(predictions.cols)] vs targets [\(targets.rows), \(targets.cols)]")
        let n = predictions.count
        guard n > 0 else { return (0, predictions) }
        var gradient = predictions
        var sum = 0.0
        let scale = 2 / Float(n)
        for i in 0..<n {
            let d = predictions.storage[i] - targets.storage[i]
            sum += Double(d) * Double(d)
            gradient.storage[i] = scale * d
        }
        return (Float(sum / Double(n)), gradient)
    }
}
