//! Nothing here: the test in `tests/corpus.rs` runs the rules crate's corpus in wasm.
