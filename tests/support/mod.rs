//! Helpers shared by the integration tests, one module per kind of fixture: a signed session
//! recorded the way Finish does it (`session`, re-exported at the top), the viewer's signed
//! sample bundle (`viewer`), the simulated writing corpus (`corpus`), and driving programs on
//! the test display (`desktop`). Each test file
//! includes this one module with `mod support;` and uses what it needs.
#![allow(dead_code, unused_imports)]

pub mod corpus;
pub mod desktop;
pub mod session;
pub mod viewer;

pub use session::*;
