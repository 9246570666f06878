//! The error type of the simulator's Rust API (starting, seeding, saving).

use std::path::PathBuf;

/// Why the simulator could not be configured, seeded, started or saved.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A fixture or config file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A fixture, config or state file is not valid YAML/JSON for its format.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said, with line and column where known.
        message: String,
    },
    /// The fixture parsed but describes an org the simulator cannot build.
    #[error("fixture: {0}")]
    Fixture(String),
    /// The address could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The requested address.
        addr: std::net::SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The state file could not be written.
    #[error("cannot write state file {path}: {source}")]
    WriteState {
        /// The state file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The journal file could not be created.
    #[error("cannot create journal file {path}: {source}")]
    Journal {
        /// The journal file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The state could not be serialized.
    #[error("cannot serialize the simulator state: {0}")]
    Serialize(#[from] serde_json::Error),
}
