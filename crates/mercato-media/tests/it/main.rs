//! Integration tests of mercato-media's public API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod demo;
mod document;
mod fixtures;
mod rendition;
mod sniff;
mod store;
mod video;
