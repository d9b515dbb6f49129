//! A `Read + Seek` view of a remote file made of HTTP range requests, so the zip reader can
//! pull a wheel's `METADATA` without downloading the wheel (uv does the same).
//!
//! The zip reader reads the end-of-central-directory record, then the central directory, then
//! one local header and entry. The first request (in [`super::client::HttpClient::get_tail`])
//! already fetches the last 64 KiB, which usually holds the whole central directory; the entry
//! itself is one more request.

use std::io::{self, Read, Seek, SeekFrom};

use url::Url;

use super::client::HttpClient;

/// Bytes fetched per range request, and the size of the initial tail request.
pub(crate) const CHUNK: u64 = 64 * 1024;

/// A remote file of known length, read through range requests and kept in memory.
pub(crate) struct RangeReader<'a> {
    client: &'a HttpClient,
    url: Url,
    length: u64,
    position: u64,
    /// (offset, bytes) of every range fetched so far; a handful at most.
    buffers: Vec<(u64, Vec<u8>)>,
}

impl<'a> RangeReader<'a> {
    /// A reader over a file of `length` bytes whose bytes from `start` are already known.
    pub(crate) fn new(
        client: &'a HttpClient,
        url: Url,
        length: u64,
        start: u64,
        tail: Vec<u8>,
    ) -> Self {
        RangeReader {
            client,
            url,
            length,
            position: 0,
            buffers: vec![(start, tail)],
        }
    }

    fn buffered(&self, position: u64) -> Option<&[u8]> {
        self.buffers.iter().find_map(|(start, bytes)| {
            let offset = position.checked_sub(*start)?;
            let offset = usize::try_from(offset).ok()?;
            bytes.get(offset..).filter(|rest| !rest.is_empty())
        })
    }
}

impl Read for RangeReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.position >= self.length || out.is_empty() {
            return Ok(0);
        }
        if self.buffered(self.position).is_none() {
            let end = (self.position + CHUNK).min(self.length) - 1;
            let bytes = self
                .client
                .get_range(&self.url, self.position, end)
                .map_err(io::Error::other)?;
            self.buffers.push((self.position, bytes));
        }
        let available = self
            .buffered(self.position)
            .ok_or_else(|| io::Error::other("range buffer missing after fetch"))?;
        let count = available.len().min(out.len());
        out[..count].copy_from_slice(&available[..count]);
        self.position += count as u64;
        Ok(count)
    }
}

impl Seek for RangeReader<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(delta) => self.length.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        let target = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )
        })?;
        self.position = target;
        Ok(target)
    }
}
