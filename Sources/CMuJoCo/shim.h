// CMuJoCo: MuJoCo's C API (Debian's libmujoco-dev, 2.2.2; no pkg-config file).
// Everything DriftLab uses imports directly: numeric #defines become constants, enums
// become structs (mjOBJ_BODY.rawValue). The global callbacks (mjcb_*) are never touched:
// Swift 6 rejects them as shared mutable state.
#include <mujoco/mujoco.h>
