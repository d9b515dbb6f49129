//! Everything that talks HTTP: the client with its disk cache, range reads, page parsing and
//! the simple-index source.

pub(crate) mod cache;
pub(crate) mod client;
pub(crate) mod options;
pub(crate) mod page;
pub(crate) mod range;
pub(crate) mod simple;
