//! The desktop app: a thin egui shell over the core. The recorder is what trainers use; the
//! viewer is what auditors use.

pub mod recorder;
pub mod viewer;
