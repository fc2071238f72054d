import Analysis
import Foundation
import Plotting

/// `dObj/dr` against `r` at a few fixed advantages, one line per advantage (for
/// `drift slices --png`): the cuts through the derivative map that the paper's Figure 5
/// reads rollback and cautious optimism from.
public enum SlicePicture {
    /// The figure of `slices` over `ratios`, with `r` on a log axis; lines in the tab10 cycle,
    /// in the order of `slices`.
    public static func figure(_ slices: [(advantage: Double, values: [Double])], ratios: [Double], title: String) -> Figure {
        let figure = Figure(widthInches: 6.5, heightInches: 4.5)
        let axes = figure[0, 0]
        axes.title = title
        let x = ratios.map { log($0) }
        for (index, slice) in slices.enumerated() {
            axes.plot(x: x, y: slice.values, color: Color.tab10[index % Color.tab10.count],
                      label: String(format: "A = %g", slice.advantage))
        }
        axes.x.label = "r"
        axes.x.tickLabels = .exponential(base: "e")
        axes.y.label = "dObj/dr"
        axes.addReferenceLine(.vertical, at: 0, color: .black, lineWidth: 0.8, dash: [4, 3])
        axes.addReferenceLine(.horizontal, at: 0, color: .gray, lineWidth: 0.8)
        axes.legend = Legend(.best)
        return figure
    }
}
