//! Publication safety: what may reach the public site, and the scan that proves it.

pub mod scan;
