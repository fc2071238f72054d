import CMuJoCo

/// One simulated world (`mjData`) of a shared `MuJoCoModel`. Owned by exactly one environment
/// at a time; the buffers below are views into MuJoCo's arrays (doubles, row-major).
public final class MuJoCoSimulation: @unchecked Sendable {
    public let model: MuJoCoModel
    /// The data, owned: freed with this object.
    public let data: UnsafeMutablePointer<mjData>

    public init(model: MuJoCoModel) {
        self.model = model
        guard let made = mj_makeData(model.pointer) else {
            preconditionFailure("mj_makeData failed for '\(model.path)' (out of memory)")
        }
        data = made
    }

    deinit { mj_deleteData(data) }

    private func view(_ pointer: UnsafeMutablePointer<mjtNum>!, _ count: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    /// Positions, `[nq]`.
    public var qpos: UnsafeMutableBufferPointer<Double> { view(data.pointee.qpos, model.nq) }
    /// Velocities, `[nv]`.
    public var qvel: UnsafeMutableBufferPointer<Double> { view(data.pointee.qvel, model.nv) }
    /// Controls, `[nu]`.
    public var ctrl: UnsafeMutableBufferPointer<Double> { view(data.pointee.ctrl, model.nu) }
    /// Body frame positions, `[nbody, 3]` (computed by the last forward pass).
    public var xpos: UnsafeMutableBufferPointer<Double> { view(data.pointee.xpos, 3 * model.nbody) }
    /// Body frame orientations, `[nbody, 9]`.
    public var xmat: UnsafeMutableBufferPointer<Double> { view(data.pointee.xmat, 9 * model.nbody) }
    /// Body centres of mass, `[nbody, 3]`.
    public var xipos: UnsafeMutableBufferPointer<Double> { view(data.pointee.xipos, 3 * model.nbody) }
    /// Geom positions, `[ngeom, 3]`.
    public var geomXpos: UnsafeMutableBufferPointer<Double> { view(data.pointee.geom_xpos, 3 * model.ngeom) }
    /// Geom orientations, `[ngeom, 9]`.
    public var geomXmat: UnsafeMutableBufferPointer<Double> { view(data.pointee.geom_xmat, 9 * model.ngeom) }
    /// Site positions, `[nsite, 3]`.
    public var siteXpos: UnsafeMutableBufferPointer<Double> { view(data.pointee.site_xpos, 3 * Int(model.pointer.pointee.nsite)) }
    /// Mocap body positions, `[nmocap, 3]`.
    public var mocapPos: UnsafeMutableBufferPointer<Double> { view(data.pointee.mocap_pos, 3 * model.nmocap) }
    /// Centre of mass of each body's subtree, `[nbody, 3]`.
    public var subtreeCOM: UnsafeMutableBufferPointer<Double> { view(data.pointee.subtree_com, 3 * model.nbody) }
    /// Com-based body inertias, `[nbody, 10]`.
    public var cinert: UnsafeMutableBufferPointer<Double> { view(data.pointee.cinert, 10 * model.nbody) }
    /// Com-based body velocities, `[nbody, 6]`.
    public var cvel: UnsafeMutableBufferPointer<Double> { view(data.pointee.cvel, 6 * model.nbody) }
    /// External (contact) forces on each body, `[nbody, 6]`; valid after `rnePostConstraint`.
    public var cfrcExt: UnsafeMutableBufferPointer<Double> { view(data.pointee.cfrc_ext, 6 * model.nbody) }
    /// Actuator forces in joint space, `[nv]`.
    public var qfrcActuator: UnsafeMutableBufferPointer<Double> { view(data.pointee.qfrc_actuator, model.nv) }
    /// Simulation time in seconds.
    public var time: Double { data.pointee.time }

    /// Back to the model's reference state: qpos0, zero velocities, activations, controls,
    /// applied forces and solver warm start, mocap bodies at their model poses, time 0.
    /// That is every input of `mj_step` that `mj_resetData` resets; unlike it, this does not
    /// clear MuJoCo's multi-megabyte scratch stack, which would cost 60-140 us, as much as
    /// several physics steps, on every episode start.
    public func reset() {
        let m = model.pointer.pointee, d = data.pointee
        data.pointee.time = 0
        for i in 0..<model.nq { d.qpos[i] = m.qpos0[i] }
        // Called at every episode start: zero each buffer directly, without building an array.
        func zero(_ pointer: UnsafeMutablePointer<mjtNum>?, _ count: Int) { pointer?.update(repeating: 0, count: count) }
        zero(d.qvel, model.nv)
        zero(d.qacc_warmstart, model.nv)
        zero(d.qfrc_applied, model.nv)
        zero(d.act, model.na)
        zero(d.ctrl, model.nu)
        zero(d.xfrc_applied, 6 * model.nbody)
        for b in 0..<model.nbody {
            let slot = Int(m.body_mocapid[b])
            guard slot >= 0 else { continue }
            for k in 0..<3 { d.mocap_pos[3 * slot + k] = m.body_pos[3 * b + k] }
            for k in 0..<4 { d.mocap_quat[4 * slot + k] = m.body_quat[4 * b + k] }
        }
    }

    /// MuJoCo's own full reset (`mj_resetData`), for comparison in tests.
    public func resetCompletely() { mj_resetData(model.pointer, data) }
    /// Recomputes positions, velocities and forces from the current state, without integrating.
    public func forward() { mj_forward(model.pointer, data) }
    /// Advances `frames` physics steps with the current controls; then, if `contactForces`,
    /// computes `cfrc_ext` (MuJoCo leaves it stale otherwise).
    @inline(__always)
    public func step(frames: Int, contactForces: Bool) {
        for _ in 0..<frames { mj_step(model.pointer, data) }
        if contactForces { mj_rnePostConstraint(model.pointer, data) }
    }

    /// Whether positions and velocities are all finite.
    public var isFinite: Bool {
        qpos.allSatisfy(\.isFinite) && qvel.allSatisfy(\.isFinite)
    }

    /// Everything `mj_step` reads that changes over time: restoring it makes the next steps
    /// bit-identical (the warm start of the constraint solver included).
    public struct State: Codable, Equatable, Sendable {
        public var time: Double
        public var qpos: [Double]
        public var qvel: [Double]
        public var act: [Double]
        public var qaccWarmstart: [Double]
        public var ctrl: [Double]
        public var mocapPos: [Double]
        public var mocapQuat: [Double]
    }

    /// The current state.
    public var state: State {
        let m = model
        return State(time: time, qpos: Array(qpos), qvel: Array(qvel),
                     act: Array(view(data.pointee.act, m.na)),
                     qaccWarmstart: Array(view(data.pointee.qacc_warmstart, m.nv)),
                     ctrl: Array(ctrl),
                     mocapPos: Array(mocapPos), mocapQuat: Array(view(data.pointee.mocap_quat, 4 * m.nmocap)))
    }

    /// Restores `state` (taken from a simulation of the same model) and runs a forward pass,
    /// so that positions derived from it (body frames, contacts) are current.
    public func restore(_ state: State) throws {
        let m = model
        let sizes = [("qpos", state.qpos.count, m.nq), ("qvel", state.qvel.count, m.nv), ("act", state.act.count, m.na),
                     ("qacc_warmstart", state.qaccWarmstart.count, m.nv), ("ctrl", state.ctrl.count, m.nu),
                     ("mocap_pos", state.mocapPos.count, 3 * m.nmocap), ("mocap_quat", state.mocapQuat.count, 4 * m.nmocap)]
        for (field, got, expected) in sizes where got != expected {
            throw MuJoCoError.stateMismatch("\(field) has \(got) values, model '\(m.path)' needs \(expected)")
        }
        data.pointee.time = state.time
        func copy(_ values: [Double], to pointer: UnsafeMutablePointer<mjtNum>!) {
            for (i, v) in values.enumerated() { pointer[i] = v }
        }
        copy(state.qpos, to: data.pointee.qpos)
        copy(state.qvel, to: data.pointee.qvel)
        copy(state.act, to: data.pointee.act)
        copy(state.ctrl, to: data.pointee.ctrl)
        copy(state.mocapPos, to: data.pointee.mocap_pos)
        copy(state.mocapQuat, to: data.pointee.mocap_quat)
        forward()
        // The forward pass overwrites the solver's warm start with its own result: put the
        // saved one back, or the next step would start the solver elsewhere.
        copy(state.qaccWarmstart, to: data.pointee.qacc_warmstart)
    }
}
