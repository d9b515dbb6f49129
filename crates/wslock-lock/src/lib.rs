//! The lock plan model and its uv.lock-shaped TOML and JSON renderings.
//!
//! Planned in the "Universal resolution and the lock plan" issue; the crate holds no code yet.
