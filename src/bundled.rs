//! Question banks and the metric library shipped inside the binary.
pub const FRAMEWORKS: &[(&str, &str)] = &[(
    "panel-2023-24.toml",
    include_str!("../audits/frameworks/panel-2023-24.toml"),
)];
pub const METRIC_LIBRARY: &str = "";
