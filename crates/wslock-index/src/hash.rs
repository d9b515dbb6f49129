//! SHA-256 digests of distribution files and metadata files.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// A SHA-256 digest, shown as 64 lowercase hex digits (uv.lock writes it as `sha256:<hex>`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Digest([u8; 32]);

impl Sha256Digest {
    /// The digest of `bytes`.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        Self(Sha256::digest(bytes).into())
    }

    /// Parses 64 hex digits (either case). Returns `None` for anything else.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            *slot = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
        }
        Some(Self(out))
    }

    /// The digest as 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        self.to_string()
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{self}")
    }
}

/// The text was not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 digest (64 hex digits): \"{0}\"")]
pub struct DigestParseError(String);

impl FromStr for Sha256Digest {
    type Err = DigestParseError;

    /// Accepts bare hex and the `sha256:` prefix uv.lock uses.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let hex = text.strip_prefix("sha256:").unwrap_or(text);
        Self::from_hex(hex).ok_or_else(|| DigestParseError(text.to_string()))
    }
}

/// Streams a reader through SHA-256 into a writer, returning the digest and the byte count.
pub(crate) fn copy_hashing(
    reader: &mut impl Read,
    writer: &mut impl Write,
) -> io::Result<(Sha256Digest, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        hasher.update(&buffer[..read]);
        writer.write_all(&buffer[..read])?;
        total += read as u64;
    }
    Ok((Sha256Digest(hasher.finalize().into()), total))
}

/// The digest and size of a local file, read in chunks so large wheels never sit in memory.
pub(crate) fn hash_file(path: &Path) -> io::Result<(Sha256Digest, u64)> {
    let mut file = std::fs::File::open(path)?;
    copy_hashing(&mut file, &mut io::sink())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_prefix() {
        let digest = Sha256Digest::of_bytes(b"abc");
        let hex = digest.to_hex();
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Sha256Digest::from_hex(&hex.to_uppercase()), Some(digest));
        assert_eq!(format!("sha256:{hex}").parse::<Sha256Digest>(), Ok(digest));
        assert!("abc".parse::<Sha256Digest>().is_err());
        assert!(Sha256Digest::from_hex(&"g".repeat(64)).is_none());
    }

    #[test]
    fn copy_hashing_counts_and_hashes() {
        let data = vec![7u8; 200_000];
        let mut out = Vec::new();
        let (digest, size) = copy_hashing(&mut &data[..], &mut out).unwrap();
        assert_eq!(size, 200_000);
        assert_eq!(out, data);
        assert_eq!(digest, Sha256Digest::of_bytes(&data));
    }
}
