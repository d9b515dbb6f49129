//! Member graph and merged requirements of a discovered workspace.
//!
//! This stage turns a [`wslock_workspace::Workspace`] into a `petgraph` graph of members and one
//! merged, fully sourced requirement set. It is planned in the "Member graph and merged
//! requirements" issue and holds no code yet: the crate exists so the pipeline's shape
//! (workspace → graph → index → resolve → lock) is fixed from the first commit.
