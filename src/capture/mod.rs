//! Capture back-ends: translate the outside world (editor, OS key hook, file watch) into journal events.
