//! What the commands print, as data with text, DOT and JSON renderings. Other tools script
//! against the JSON shapes, so they are documented in `docs/cli.md` and covered by snapshots.

mod graph;
mod members;
mod requirements;

pub use graph::GraphReport;
pub use members::{MemberEntry, MembersReport};
pub use requirements::RequirementsReport;

/// Pretty JSON with a trailing newline. Every report holds only strings, numbers, booleans and
/// lists of them, so serialisation cannot fail; paths are rendered lossily on the way in.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}
