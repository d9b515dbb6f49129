//! Universal resolution of a workspace's merged requirements with PubGrub.
//!
//! Planned in the "Universal resolution" issue; the crate holds no code yet.
