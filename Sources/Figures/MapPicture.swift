import Analysis
import Plotting

/// A single `dObj/dr`-style map as a figure (for `drift fit --png` residuals and
/// `drift diff --png` differences): heat map over `(r, A)` with the paper's axes.
public enum MapPicture {
    public static func figure(_ map: ObjectiveMap, title: String, colorLabel: String) -> Figure {
        let figure = Figure(widthInches: 6.5, heightInches: 4.5)
        let axes = figure[0, 0]
        axes.title = title
        // Grid points become cells: the map's first and last points sit on the cell centres
        // half a step inside the drawn range.
        let dx = (map.logRatios.last! - map.logRatios.first!) / Double(max(map.columns - 1, 1))
        let dy = (map.advantages.last! - map.advantages.first!) / Double(max(map.rows - 1, 1))
        axes.show(HeatMap(values: map.values, rows: map.rows, columns: map.columns,
                          xRange: (map.logRatios.first! - dx / 2)...(map.logRatios.last! + dx / 2),
                          yRange: (map.advantages.first! - dy / 2)...(map.advantages.last! + dy / 2),
                          colorBar: ColorBar(label: colorLabel)))
        axes.x.label = "r"
        axes.x.tickLabels = .exponential(base: "e")
        axes.y.label = "A"
        axes.addReferenceLine(.vertical, at: 0, color: .black, lineWidth: 0.8, dash: [4, 3])
        return figure
    }
}
