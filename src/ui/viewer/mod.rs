//! The auditor's replay viewer: verification banner, replay with origins, timeline, charts, analysis.
