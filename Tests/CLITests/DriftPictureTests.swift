import Foundation
import Plotting
import Testing
import TestSupport

/// `drift map --png` and `drift slices --png` (issue 18, finding 4): the image, not just the file.
@Suite struct DriftPictureTests {
    /// Pixels of `image` in the box whose colour satisfies `test`, as a fraction of the box.
    func share(_ image: PNGImage, x: Range<Int>, y: Range<Int>, _ test: (Color) -> Bool) -> Double {
        var hits = 0, total = 0
        for py in stride(from: y.lowerBound, to: y.upperBound, by: 3) {
            for px in stride(from: x.lowerBound, to: x.upperBound, by: 3) {
                total += 1
                if test(image.pixel(x: px, y: py)) { hits += 1 }
            }
        }
        return Double(hits) / Double(max(total, 1))
    }

    @Test func driftMapDrawsTheDerivativeMap() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("dpo.png").path
        let result = try DriftLabBinary.run(["drift", "map", "dpo", "--resolution", "61", "--png", png])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote the dObj/dr map of dpo") && result.stdout.contains(png))
        let image = try PNGImage(contentsOf: png)
        // 6.5 x 4.5 inches at 300 dpi.
        #expect(image.width == 1950 && image.height == 1350)
        // The plot area spans about x 175...1700, y 105...1180 (r from e^-1 to e, A from 4 down to -4).
        // Bottom left (small r, A = -4): DPO's rollback, dObj/dr = A - (A/r) tanh^2(...) > 0: red.
        let red = share(image, x: 190..<330, y: 1060..<1170) { $0.red > $0.blue + 0.3 }
        // Bottom right (large r, A = -4): dObj/dr = A < 0: blue.
        let blue = share(image, x: 1450..<1680, y: 1060..<1170) { $0.blue > $0.red + 0.2 }
        // The row A = 0: dObj/dr = 0 everywhere: white.
        let white = share(image, x: 300..<1600, y: 640..<645) { $0.red > 0.93 && $0.green > 0.93 && $0.blue > 0.93 }
        #expect(red > 0.9 && blue > 0.9 && white > 0.9, "red \(red), blue \(blue), white \(white)")
        // A CSV and a picture at once.
        let csv = dir.appendingPathComponent("dpo.csv").path
        let both = try DriftLabBinary.run(["drift", "map", "ppo", "--resolution", "11", "--csv", csv, "--png", png])
        #expect(both.status == 0 && FileManager.default.fileExists(atPath: csv), "\(both.stderr)")
        let neither = try DriftLabBinary.run(["drift", "map", "ppo"])
        #expect(neither.status != 0 && neither.stderr.contains("--csv FILE, --png FILE or both"), "\(neither.stderr)")
    }

    @Test func driftSlicesDrawsOneLinePerAdvantage() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("slices.png").path
        let result = try DriftLabBinary.run(["drift", "slices", "dpo", "--A", "-2,-1,1,2", "--png", png])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote 4 slices of dpo") && result.stdout.contains(png))
        let image = try PNGImage(contentsOf: png)
        #expect(image.width == 1950 && image.height == 1350)
        // One line per advantage, in the first four tab10 colours (the lines are 2-3 px wide).
        for color in Color.tab10.prefix(4) {
            let seen = share(image, x: 0..<image.width, y: 0..<image.height) {
                abs($0.red - color.red) < 0.06 && abs($0.green - color.green) < 0.06 && abs($0.blue - color.blue) < 0.06
            }
            #expect(seen > 0.0005, "\(color) covers \(seen) of the image")
        }
        // The fifth colour is absent: four advantages, four lines.
        let fifth = Color.tab10[4]
        #expect(share(image, x: 0..<image.width, y: 0..<image.height) {
            abs($0.red - fifth.red) < 0.03 && abs($0.green - fifth.green) < 0.03 && abs($0.blue - fifth.blue) < 0.03
        } == 0)
    }

    @Test func figureFindsItsDataFromAnyFolder() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let out = dir.appendingPathComponent("figs").path
        let result = try DriftLabBinary.run(["figure", "5", "--data-dir", checkout.appendingPathComponent("data").path,
                                             "--out-dir", out, "--map-resolution", "32"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/fig5.png"))
        let wrong = try DriftLabBinary.run(["figure", "5", "--data-dir", dir.path], in: dir)
        #expect(wrong.status != 0 && wrong.stderr.contains("has no figures.json"), "\(wrong.stderr)")
    }
}

/// `env show` for classic control (issue 18, finding 4), from the observation.
@Suite struct ClassicControlPictureTests {
    @Test(arguments: ["cartpole", "pendulum", "acrobot", "MountainCarContinuous-v0"])
    func envShowDrawsClassicControl(env: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("show.png").path
        let result = try DriftLabBinary.run(["env", "show", env, "--steps", "5", "--png", png])
        #expect(result.status == 0, "\(result.stderr)")
        let image = try PNGImage(contentsOf: png)
        // 640 x (480 + 30) points at 2 pixels per point.
        #expect(image.width == 1280 && image.height == 1020)
        // Something is drawn on the sky-grey background: the scene's dark parts.
        var dark = 0
        for y in stride(from: 60, to: image.height, by: 4) {
            for x in stride(from: 0, to: image.width, by: 4) where image.pixel(x: x, y: y).relativeLuminance < 0.2 { dark += 1 }
        }
        #expect(dark > 20, "\(dark) dark samples")
    }
}
