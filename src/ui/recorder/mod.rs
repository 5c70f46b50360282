//! The trainer's recorder: start screen, editor with capture, finish and export.
