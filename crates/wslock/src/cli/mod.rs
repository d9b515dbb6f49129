//! What only the command line needs: colours, caret diagnostics, the progress display.

pub mod color;
pub mod diagnostic;
pub mod progress;
