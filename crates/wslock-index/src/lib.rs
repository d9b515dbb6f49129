//! Package metadata sources: find-links directories, PEP 503/691 simple indexes, JSON snapshots.
//!
//! Planned in the "Package sources" issue; the crate holds no code yet. It will expose one trait
//! that the resolver asks for versions and metadata, so the resolver never touches the file
//! system or the network itself.
