//! The floor for benchmarks: the time to merely inflate every zip part of
//! every response in an archive (and read each CSV), on every core, as ahq
//! reads. Nothing is parsed: no reader can be faster than this.
//!
//! ```text
//! cargo run --release --example inflate-floor -- ARCHIVE
//! ```

use rayon::prelude::*;
use std::io::{Cursor, Read};
use std::path::PathBuf;

/// The time to merely inflate every response of an archive: the floor.
///
/// Example:
///   inflate-floor /tmp/archive   (benches/run.sh does this)
#[derive(clap::Parser)]
#[command(verbatim_doc_comment)]
struct Args {
    /// The archive (a folder of query folders) that make-archive wrote.
    archive: PathBuf,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let archive = <Args as clap::Parser>::parse().archive;
    let mut files: Vec<PathBuf> = Vec::new();
    for q in std::fs::read_dir(&archive)? {
        let responses = q?.path().join("responses");
        if responses.is_dir() {
            for f in std::fs::read_dir(responses)? {
                files.push(f?.path());
            }
        }
    }
    let start = std::time::Instant::now();
    let bytes: u64 = files
        .par_iter()
        .map(|p| {
            let data = std::fs::read(p).unwrap_or_default();
            if !data.starts_with(b"PK\x03\x04") {
                return data.len() as u64;
            }
            let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(data)) else {
                return 0;
            };
            let mut sink = vec![0u8; 64 * 1024];
            let mut total = 0u64;
            for i in 0..zip.len() {
                if let Ok(mut part) = zip.by_index(i) {
                    while let Ok(n) = part.read(&mut sink) {
                        if n == 0 {
                            break;
                        }
                        total += n as u64;
                    }
                }
            }
            total
        })
        .sum();
    println!(
        "{} files, {} bytes inflated or read, in {:.3} s",
        files.len(),
        bytes,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
